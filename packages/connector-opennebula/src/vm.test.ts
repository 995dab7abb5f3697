import { captureLogs } from '@slipstream/connector-testkit';
import { describe, expect, it } from 'vitest';
import type { OpenNebulaClient } from './client.js';
import { contextFor } from './testing/context.js';
import { describeVms } from './vm.js';

const vmXml = (id: number, extra = '') =>
  `<VM><ID>${id}</ID><NAME><![CDATA[vm-${id}]]></NAME><STATE>3</STATE><LCM_STATE>3</LCM_STATE><STIME>1700000000</STIME>` +
  `<TEMPLATE><VCPU>1</VCPU><MEMORY>2048</MEMORY><NIC><IP>10.1.0.${id % 250}</IP></NIC><NIC><IP>203.0.113.${id % 250}</IP></NIC></TEMPLATE>${extra}</VM>`;

/**
 * A user's VM pool as oned pages it: newest first, offset and page size when `end` < -1, an id
 * range otherwise. `between` runs before each call after the first, to change the pool meanwhile.
 */
function fakePool(initial: number[], between?: (ids: number[], call: number) => void) {
  const ids = [...initial];
  const calls: number[][] = [];
  const client = {
    async document(method: string, parameters: number[]): Promise<string> {
      expect(method).toBe('one.vmpool.info');
      if (calls.length > 0) between?.(ids, calls.length);
      calls.push(parameters);
      const [, start = 0, end = 0] = parameters;
      const sorted = [...ids].sort((a, b) => b - a);
      const page =
        end < -1
          ? sorted.slice(start, start - end)
          : sorted.filter((id) => id >= start && (end === -1 || id <= end));
      return `<VM_POOL>${page.map((id) => vmXml(id)).join('')}</VM_POOL>`;
    },
  };
  return { ids, calls, client: client as unknown as OpenNebulaClient };
}

describe('describing VMs', () => {
  it('maps VMs: addresses by range, the size by VCPU and MEMORY, the start time', async () => {
    const [vm] = await describeVms(contextFor(fakePool([7]).client), undefined, undefined);
    expect(vm).toEqual({
      id: '7',
      name: 'vm-7',
      state: 'running',
      rawState: 'RUNNING',
      publicIps: ['203.0.113.7'],
      privateIps: ['10.1.0.7'],
      image: undefined,
      size: 'small',
      zone: undefined,
      createdAt: '2023-11-14T22:13:20.000Z',
      tags: {},
    });
  });

  it('shows a VM with an unreadable state as unknown, with one warning naming the field', async () => {
    const { logger, entries } = captureLogs();
    const client = {
      document: async () =>
        `<VM_POOL>${vmXml(1).replace('<STATE>3</STATE>', '<STATE>three</STATE>')}${vmXml(2)}</VM_POOL>`,
    } as unknown as OpenNebulaClient;
    const vms = await describeVms({ ...contextFor(client), logger }, undefined, undefined);
    expect(vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['1', 'unknown'],
      ['2', 'running'],
    ]);
    expect(entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
    expect(JSON.stringify(entries)).toContain('STATE');
  });
});
