import { describe, expect, it } from 'vitest';
import type { OpenNebulaClient } from './client.js';
import { resolveNetworks } from './networks.js';
import { contextFor, failure } from './testing/context.js';

// network.public and network.private by id or by name, names looked up in a fake oned's
// one.vnpool.info.

const VNET_POOL =
  '<VNET_POOL>' +
  '<VNET><ID>0</ID><NAME><![CDATA[public]]></NAME></VNET>' +
  '<VNET><ID>1</ID><NAME><![CDATA[private lan]]></NAME></VNET>' +
  '<VNET><ID>5</ID><NAME><![CDATA[twice]]></NAME></VNET>' +
  '<VNET><ID>6</ID><NAME><![CDATA[twice]]></NAME></VNET>' +
  '</VNET_POOL>';

function contextWith(networks: Record<string, string>) {
  const calls: [string, unknown[]][] = [];
  const client = {
    async document(method: string, parameters: unknown[]): Promise<string> {
      calls.push([method, parameters]);
      return VNET_POOL;
    },
  } as unknown as OpenNebulaClient;
  const context = contextFor(client, { parameters: networks });
  return { context, calls };
}

describe('the configured networks', () => {
  it('are taken as ids without asking oned when both are ids', async () => {
    const { context, calls } = contextWith({ 'network.public': '3', 'network.private': '4' });
    expect(await resolveNetworks(context, undefined)).toEqual({ ids: [3, 4] });
    expect(calls).toEqual([]);
  });

  it('are looked up by name in one.vnpool.info (all the user may use), public first', async () => {
    const { context, calls } = contextWith({ 'network.public': 'public', 'network.private': 'private lan' });
    expect(await resolveNetworks(context, undefined)).toEqual({ ids: [0, 1] });
    expect(calls).toEqual([['one.vnpool.info', [-2, -1, -1]]]);
  });

  it('are none when neither is configured, and one NIC when both name the same network', async () => {
    expect(await resolveNetworks(contextWith({}).context, undefined)).toEqual({ ids: [] });
    const same = contextWith({ 'network.public': 'public', 'network.private': '0' }).context;
    expect(await resolveNetworks(same, undefined)).toEqual({ ids: [0] });
  });

  it('refuse a name oned does not know as CONFIG_INVALID, listing the networks there are', async () => {
    const { context } = contextWith({ 'network.public': 'public', 'network.private': 'backend' });
    const error = await failure(() => resolveNetworks(context, undefined));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('Parameter "network.private" is "backend"');
    expect(error.message).toContain('0 (public), 1 (private lan)');
  });

  it('refuse a name two networks share as CONFIG_INVALID, asking for the id', async () => {
    const { context } = contextWith({ 'network.public': 'twice' });
    const error = await failure(() => resolveNetworks(context, undefined));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('names 2 virtual networks');
    expect(error.message).toContain('(5, 6)');
  });
});
