import { WireReader } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { readVmRecord } from './vm.js';

const TYPES = [{ name: 'small', cpus: 1, memoryMb: 1024 }];

/** A query's VMRecord as the parser reads it: every attribute as text. */
const record = (attributes: Record<string, string>) => ({
  container: 'https://vcd.example.com/api/vApp/vapp-8a4c0d6e-0a8e-4e43-9d2b-4c0f5a1e2b3c',
  containerName: 'web-1',
  name: 'web-1-vm',
  status: 'POWERED_ON',
  isBusy: 'false',
  numberOfCpus: '1',
  memoryMB: '1024',
  dateCreated: '2026-12-07T10:00:00.000Z',
  ...attributes,
});

describe('readVmRecord', () => {
  it('sorts the record’s address by its range', () => {
    const publicVm = readVmRecord(new WireReader(record({ ipAddress: '203.0.113.7' })), TYPES);
    expect(publicVm).toMatchObject({ publicIps: ['203.0.113.7'], privateIps: [], size: 'small' });
    const privateVm = readVmRecord(new WireReader(record({ ipAddress: '10.0.0.5' })), TYPES);
    expect(privateVm).toMatchObject({ publicIps: [], privateIps: ['10.0.0.5'] });
  });

  it('leaves out an address that is not an IP address, and an empty one', () => {
    for (const ipAddress of ['', 'pending', '10.0.0.256']) {
      const vm = readVmRecord(new WireReader(record({ ipAddress })), TYPES);
      expect([vm.publicIps, vm.privateIps]).toEqual([[], []]);
    }
  });

  it('gives every VM its own address lists', () => {
    const first = readVmRecord(new WireReader(record({ ipAddress: '203.0.113.7' })), TYPES);
    const second = readVmRecord(new WireReader(record({ ipAddress: '203.0.113.8' })), TYPES);
    expect(first.publicIps).toEqual(['203.0.113.7']);
    expect(second.publicIps).toEqual(['203.0.113.8']);
    expect(first.privateIps).not.toBe(second.privateIps);
  });
});
