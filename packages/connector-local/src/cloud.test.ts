import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { LocalCloud } from './cloud.js';

/** The model on its own, without core's guard: what a simulator reusing it would see. */
function cloud(clock = new ManualClock()): LocalCloud {
  return new LocalCloud({
    accounts: [{ key: 'alice', secret: 'topsecret' }],
    bootDelayMs: 100,
    haltDelayMs: 50,
    clock,
  });
}

const request = { name: 'vm', image: 'alpine-3.20', size: 'small', idempotencyKey: 'k1' };

describe('LocalCloud', () => {
  it('applies its defaults when options are left out', () => {
    const clock = new ManualClock();
    const model = new LocalCloud({ accounts: [], clock });
    const [vm] = model.launch('anyone', request);
    expect(vm).toMatchObject({ zone: 'local-a', state: 'PROVISIONING' });
    clock.advance(1500);
    expect(model.describe('anyone').map((seen) => seen.state)).toEqual(['RUNNING']);
  });

  it('refuses a default zone it does not have', () => {
    expect(() => new LocalCloud({ accounts: [], defaultZone: 'mars-1' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('keeps the secret and the hint of which half was wrong out of AUTH_FAILED', () => {
    const model = cloud();
    for (const [key, secret] of [
      ['alice', 'wrong-guess'],
      ['mallory', 'topsecret'],
    ] as const) {
      try {
        model.authenticate(key, secret);
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'AUTH_FAILED' });
        const message = (error as Error).message;
        expect(message).not.toContain(secret);
        expect(message).not.toContain(key);
      }
    }
  });

  it('keeps the launch request’s ssh key and user data on the VM', () => {
    const model = cloud();
    const [vm] = model.launch('alice', {
      ...request,
      sshPublicKey: 'ssh-ed25519 AAAA',
      userData: '#!/bin/sh',
    });
    expect(vm).toMatchObject({ sshPublicKey: 'ssh-ed25519 AAAA', userData: '#!/bin/sh' });
  });

  it('puts VMs in FAILED by fault injection; they can then only be terminated', () => {
    const clock = new ManualClock();
    const model = cloud(clock);
    const [vm] = model.launch('alice', request);
    const ids = [vm?.id ?? ''];
    model.fail(ids);
    expect(model.describe('alice', ids).map((seen) => seen.state)).toEqual(['FAILED']);
    clock.advance(1000);
    expect(model.describe('alice', ids).map((seen) => seen.state)).toEqual(['FAILED']);
    expect(() => model.stop('alice', ids)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => model.start('alice', ids)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    model.terminate('alice', ids);
    expect(model.describe('alice', ids).map((seen) => seen.state)).toEqual(['DELETING']);
    expect(() => model.fail(['vm-424242'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('measures retention from the moment deletion completes', () => {
    const clock = new ManualClock();
    const model = new LocalCloud({ accounts: [], haltDelayMs: 50, retentionMs: 1000, clock });
    const [vm] = model.launch('alice', request);
    model.terminate('alice', [vm?.id ?? '']);
    clock.advance(50 + 999);
    expect(model.describe('alice')).toHaveLength(1);
    clock.advance(1);
    expect(model.describe('alice')).toEqual([]);
  });

  it('gives each zone its own private subnet and recycles the 254 public addresses', () => {
    const model = new LocalCloud({ accounts: [], accountVmLimit: 1000 });
    const vms = model.launch('alice', { ...request, zone: 'local-b', count: 100 });
    model.launch('alice', { ...request, idempotencyKey: 'k2', count: 100 });
    const [late] = model.launch('alice', { ...request, idempotencyKey: 'k3', count: 100 }).slice(55);
    expect(vms[0]?.privateIps).toEqual(['10.2.0.1']);
    expect(late).toMatchObject({ id: 'vm-000256', publicIps: ['203.0.113.2'], privateIps: ['10.1.1.0'] });
  });
});
