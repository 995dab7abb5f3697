import type { Vm } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { cloudVmView, connectorKey, toView } from './records.js';

const record = { ownerId: 'owner-1', instance: 'local', idempotencyKey: 'build-1' };

describe('connectorKey', () => {
  it('is stable for a record, and differs per owner, instance and key', () => {
    expect(connectorKey(record)).toBe(connectorKey({ ...record }));
    const others = [
      connectorKey({ ...record, ownerId: 'owner-2' }),
      connectorKey({ ...record, instance: 'lab2' }),
      connectorKey({ ...record, idempotencyKey: 'build-2' }),
    ];
    expect(new Set([connectorKey(record), ...others]).size).toBe(4);
    expect(connectorKey(record).startsWith('build-1.')).toBe(true);
  });

  it('stays within core idempotency key rules for the longest caller key', () => {
    const longest = connectorKey({ ...record, idempotencyKey: 'k'.repeat(128) });
    expect(longest).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    // Two long keys that share their readable prefix still differ.
    expect(longest).not.toBe(connectorKey({ ...record, idempotencyKey: `${'k'.repeat(127)}j` }));
  });
});

describe('the views the API answers with', () => {
  const vm: Vm = {
    id: 'vm-1',
    name: 'web',
    state: 'running',
    rawState: 'RUNNING',
    publicIps: ['203.0.113.1'],
    privateIps: [],
    tags: { team: 'a' },
    zone: 'z1',
  };

  it("show the VM model's fields only, as text where the schema says text", () => {
    // What a connector may add beyond the model, or give in another type, as the schema serialiser wrote it.
    const loose = {
      ...vm,
      raw: { secret: 'x' },
      image: 42,
      size: null,
      createdAt: new Date(0),
    } as unknown as Vm;
    expect(cloudVmView(loose)).toStrictEqual({
      ...vm,
      image: '42',
      size: '',
      createdAt: '1970-01-01T00:00:00.000Z',
    });
    const tagged = { ...vm, publicIps: [7], tags: { n: 1 } } as unknown as Vm;
    expect(cloudVmView(tagged)).toMatchObject({ publicIps: ['7'], tags: { n: '1' } });
  });

  it('keep the key order the schema serialiser wrote: required keys first', () => {
    const record = {
      id: 'r1',
      ownerId: 'u1',
      instance: 'local',
      idempotencyKey: 'k',
      cloudId: 'vm-1',
      account: 'a'.repeat(32),
      name: 'web',
      state: 'launched' as const,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
    };
    const view = toView(record, 'alice', vm);
    expect(Object.keys(view)).toEqual([
      'instance',
      'recordId',
      'idempotencyKey',
      'owner',
      'name',
      'recordState',
      'recordedAt',
      'updatedAt',
      'cloudId',
      'account',
      'vm',
    ]);
    expect(Object.keys(view.vm ?? {})).toEqual([
      'id',
      'name',
      'state',
      'rawState',
      'publicIps',
      'privateIps',
      'tags',
      'zone',
    ]);
  });
});
