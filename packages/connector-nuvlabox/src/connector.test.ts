import { randomUUID } from 'node:crypto';
import type { RunningOpenNebula } from '@slipstream/cloud-simulators/opennebula';
import { ConnectorError, createInstance, type LoadedInstance } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import definition from './index.js';
import { NUVLABOX_DEFAULTS, settingsFrom } from './parameters.js';
import { BOX, credentialsOf, parametersOf, startBox } from './testing/fixtures.js';

const required = {
  'instance.types': NUVLABOX_DEFAULTS.instanceTypes,
  'cpu.ratio': '0.5',
  contextualization: 'one-context',
  'poll.interval.ms': 2000,
  'wait.timeout.ms': 300000,
};

describe('NuvlaBox parameters', () => {
  it("reach the box's one-proxy over HTTPS when only the box is named", () => {
    expect(settingsFrom({ ...required, box: 'nb-7.example.org' }).endpoint).toBe(
      'https://nb-7.example.org:11361/one-proxy/xmlrpc',
    );
    expect(settingsFrom({ ...required, box: '[2001:db8::7]' }).endpoint).toBe(
      'https://[2001:db8::7]:11361/one-proxy/xmlrpc',
    );
  });

  it('take an endpoint given instead', () => {
    expect(
      settingsFrom({ ...required, box: 'nb-7', endpoint: 'http://10.0.0.7:8080/one-proxy/xmlrpc' }).endpoint,
    ).toBe('http://10.0.0.7:8080/one-proxy/xmlrpc');
  });

  it('offer box-sized instance types and the box networks by default', async () => {
    const instance = await createInstance(definition, {
      instance: 'nb',
      parameters: { box: 'nb-7.example.org' },
    });
    expect(instance.parameters).toMatchObject({
      'instance.types': 'micro=1:256,small=1:512,medium=1:1024,large=2:2048',
      'network.public': 'public',
      'network.private': 'private',
    });
    await instance.close();
  });

  it.each([
    [{}, '"box"'],
    // The box is the instance's zone: required even when the endpoint is given.
    [{ endpoint: 'http://10.0.0.7:8080/one-proxy/xmlrpc' }, '"box"'],
    [{ box: 'https://nb-7.example.org' }, 'not a host name or address'],
    [{ box: 'nb 7' }, 'not a host name or address'],
  ])('refuse %o, saying how to fix it', async (parameters, message) => {
    const error = await createInstance(definition, { instance: 'nb', parameters }).catch((e: unknown) => e);
    expect(ConnectorError.is(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain(message);
  });
});

describe('a NuvlaBox instance', { timeout: 60_000 }, () => {
  let sim: RunningOpenNebula;
  let instance: LoadedInstance;

  beforeAll(async () => {
    sim = await startBox();
    instance = await createInstance(definition, { instance: 'nb', parameters: parametersOf(sim) });
  });
  afterAll(async () => {
    await instance.close();
    await sim.close();
  });

  it('is one zone, the box, reported on its VMs and accepted by launch', async () => {
    const session = await instance.session(credentialsOf(sim));
    expect(await session.listZones()).toEqual([{ id: BOX, name: `NuvlaBox ${BOX}`, available: true }]);
    const request = {
      name: 'edge',
      image: sim.templates[0]?.name ?? '',
      size: 'micro',
      idempotencyKey: randomUUID(),
    };
    const [vm] = await session.launch({ ...request, zone: BOX });
    expect(vm).toMatchObject({ zone: BOX, size: 'micro' });
    const elsewhere = await session
      .launch({ ...request, idempotencyKey: randomUUID(), zone: 'other-box' })
      .catch((e: unknown) => e);
    expect(ConnectorError.is(elsewhere) && elsewhere.code).toBe('INVALID_REQUEST');
    await session.terminate([vm?.id as string]);
  });
});
