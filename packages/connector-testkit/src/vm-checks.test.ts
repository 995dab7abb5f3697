import { checkLaunchRequest, type LaunchRequest, type Vm } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { conformanceSshPublicKey } from './ssh.js';
import { catalogProblems, runningVmProblems } from './vm-checks.js';

describe('catalogProblems', () => {
  it('accepts a list of { id, name }', () => {
    expect(catalogProblems([{ id: 'a', name: 'A', extra: 1 }], 'listImages()', true)).toEqual([]);
    expect(catalogProblems([], 'listZones()', false)).toEqual([]);
  });

  it('reports a missing list, an empty one and malformed items', () => {
    expect(catalogProblems(undefined, 'listImages()', true)).toEqual([
      'listImages() must resolve to an array, got undefined',
    ]);
    expect(catalogProblems([], 'listSizes()', true)).toEqual([
      expect.stringContaining('listSizes() returned no items'),
    ]);
    expect(catalogProblems([{ id: '', name: 3 }, null], 'listZones()', false)).toEqual([
      'listZones()[0].id must be a non-empty string, got ""',
      'listZones()[0].name must be a string, got number 3',
      'listZones()[1].id must be a non-empty string, got undefined',
      'listZones()[1].name must be a string, got undefined',
    ]);
  });
});

describe('runningVmProblems', () => {
  const request: LaunchRequest = {
    name: 'conformance-1',
    image: 'img',
    size: 'small',
    zone: 'z1',
    tags: { a: '1' },
    idempotencyKey: 'k',
  };
  const vm: Vm = {
    id: 'vm-1',
    name: 'conformance-1',
    state: 'running',
    rawState: 'UP',
    publicIps: ['203.0.113.1'],
    privateIps: ['fd00::1'],
    image: 'img',
    size: 'small',
    zone: 'z1',
    createdAt: '2025-01-01T00:00:00Z',
    tags: { a: '1', cloud: 'added' },
  };
  const all = { tags: true, zones: true };

  it('accepts a VM that matches its request, extra cloud tags included', () => {
    expect(runningVmProblems(vm, request, all)).toEqual([]);
    const bare = {
      ...vm,
      image: undefined,
      size: undefined,
      zone: undefined,
      createdAt: undefined,
      publicIps: [],
    };
    expect(runningVmProblems(bare, request, all)).toEqual([]);
  });

  it('reports every difference', () => {
    const wrong: Vm = {
      ...vm,
      name: 'other',
      state: 'pending',
      rawState: '',
      publicIps: [],
      privateIps: [],
      image: 'img-2',
      size: 'large',
      zone: 'z2',
      createdAt: 'yesterday',
      tags: {},
    };
    expect(runningVmProblems(wrong, request, all)).toEqual([
      'VM vm-1 has state "pending", expected "running"',
      expect.stringContaining('has an empty rawState'),
      expect.stringContaining('is running but has no address'),
      'VM vm-1 is named "other", but launch asked for "conformance-1"',
      expect.stringContaining('reports image "img-2"'),
      expect.stringContaining('reports size "large"'),
      expect.stringContaining('reports zone "z2"'),
      expect.stringContaining('which is not an ISO 8601 time'),
      expect.stringContaining('tag "a" is undefined, expected "1"'),
    ]);
  });

  it('reports addresses that are not IPs', () => {
    expect(runningVmProblems({ ...vm, publicIps: ['host.example'] }, request, all)).toEqual([
      'VM vm-1 publicIps[0] is "host.example", not an IP address',
    ]);
  });

  it('ignores tags and zones the connector does not support', () => {
    const other = { ...vm, tags: {}, zone: 'elsewhere' };
    expect(runningVmProblems(other, request, { tags: false, zones: false })).toEqual([]);
  });
});

describe('conformanceSshPublicKey', () => {
  it('is an OpenSSH ed25519 public key line that core accepts', () => {
    const key = conformanceSshPublicKey();
    expect(key).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} slipstream-conformance$/);
    const blob = Buffer.from(key.split(' ')[1] ?? '', 'base64');
    expect(blob).toHaveLength(4 + 11 + 4 + 32);
    const capabilities = { stopStart: false, zones: false, sshKeys: true, userData: false, tags: false };
    const request = { name: 'n', image: 'i', size: 's', idempotencyKey: 'k', sshPublicKey: key };
    expect(() => checkLaunchRequest(request, { name: 'x', capabilities })).not.toThrow();
  });

  it('is fresh on every call', () => {
    expect(conformanceSshPublicKey()).not.toBe(conformanceSshPublicKey());
  });
});
