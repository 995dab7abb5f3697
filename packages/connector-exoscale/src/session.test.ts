import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target, UBUNTU } from './testing/fixtures.js';

describe('session', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({
      endpointPath: '/de-fra-1/v2',
      parameters: {
        zone: 'de-fra-1',
        template: 'Linux Debian 12 (Bookworm) 64-bit',
        'instance.type': 'standard.medium',
      },
    });
  });
  afterAll(() => target.close());

  it("lists the instance's zone only, by its city", async () => {
    expect(await target.session.listZones()).toEqual([
      { id: 'de-fra-1', name: 'Frankfurt (de-fra-1)', available: true },
    ]);
  });

  it('lists the preferred template and instance type first', async () => {
    const images = await target.session.listImages();
    expect(images[0]).toMatchObject({
      name: 'Linux Debian 12 (Bookworm) 64-bit',
      os: 'debian',
      zone: 'de-fra-1',
    });
    expect(images.map((i) => i.name)).toContain('slipstream-base-2026');
    const sizes = await target.session.listSizes();
    expect(sizes[0]).toMatchObject({ name: 'standard.medium', cpus: 2, memoryMb: 4096 });
    expect(sizes.map((s) => s.name)).toContain('standard.micro');
  });

  it('launches in its zone through the endpoint and reports that zone', async () => {
    const [vm] = await target.session.launch({
      name: 'in-frankfurt',
      image: UBUNTU,
      size: 'standard.tiny',
      zone: 'de-fra-1',
      idempotencyKey: randomUUID(),
    });
    expect(vm?.zone).toBe('de-fra-1');
    expect(target.sim.control.cloud.vm(target.account, vm?.id ?? '')?.zone).toBe('de-fra-1');
    expect((await target.session.describe()).map((v) => v.id)).toEqual([vm?.id]);
  });

  it('checks credentials with a signed call', async () => {
    await expect(target.session.checkCredentials()).resolves.toBeUndefined();
    expect(target.sim.control.count('list-ssh-keys')).toBe(1);
  });
});
