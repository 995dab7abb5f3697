import { EXOSCALE_CATALOG } from '@slipstream/cloud-simulators/exoscale';
import { ConnectorError, createHttpTransport } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceTypeName, preferredFirst, templateDiskGb, toImage, toSize, ZoneCatalog } from './catalog.js';
import { ExoscaleClient } from './client.js';
import { failure, PRIVATE_TEMPLATE, startTarget, type Target, UBUNTU } from './testing/fixtures.js';

describe('catalog helpers', () => {
  it('names instance types family.size and converts units', () => {
    const type = { id: 't', family: 'standard', size: 'medium', cpus: 2, memory: 4 * 1024 ** 3 };
    expect(instanceTypeName(type)).toBe('standard.medium');
    expect(instanceTypeName({ id: 't' })).toBe('t');
    expect(toSize(type)).toEqual({ id: 't', name: 'standard.medium', cpus: 2, memoryMb: 4096 });
    expect(toImage({ id: 'i', name: 'Debian', family: 'debian' }, 'ch-dk-2')).toEqual({
      id: 'i',
      name: 'Debian',
      os: 'debian',
      zone: 'ch-dk-2',
    });
    expect(templateDiskGb({ id: 'i', size: 10 * 1024 ** 3 + 1 })).toBe(11);
    expect(templateDiskGb({ id: 'i' })).toBe(0);
  });

  it('puts the preferred item first and keeps the rest in order', () => {
    const same = (item: string, ref: string) => item === ref;
    expect(preferredFirst(['a', 'b', 'c'], 'c', same)).toEqual(['c', 'a', 'b']);
    expect(preferredFirst(['a', 'b'], 'z', same)).toEqual(['a', 'b']);
    expect(preferredFirst(['a', 'b'], undefined, same)).toEqual(['a', 'b']);
  });
});

describe('ZoneCatalog', () => {
  const http = createHttpTransport();
  let target: Target;
  let catalog: ZoneCatalog;

  beforeAll(async () => {
    target = await startTarget();
    catalog = new ZoneCatalog(
      new ExoscaleClient({
        http,
        endpoint: `${target.sim.url}/v2`,
        key: target.sim.credentials.key,
        secret: target.sim.credentials.secret,
        signatureValiditySeconds: 600,
      }),
      'ch-gva-2',
    );
  });
  afterAll(async () => {
    await http.close();
    await target.close();
  });

  it('merges public and private templates, public first, and caches them', async () => {
    const names = (await catalog.templates()).map((t) => t.name);
    expect(names[0]).toBe(UBUNTU);
    expect(names.at(-1)).toBe(PRIVATE_TEMPLATE);
    target.sim.control.clearRequests();
    await catalog.templates();
    expect(target.sim.control.count('list-templates')).toBe(0);
  });

  it('resolves templates by id or exact name, instance types by id or family.size', async () => {
    const ubuntu = EXOSCALE_CATALOG.images[0];
    expect((await catalog.resolveTemplate(UBUNTU)).id).toBe(ubuntu?.id);
    expect((await catalog.resolveTemplate(ubuntu?.id ?? '')).name).toBe(UBUNTU);
    const medium = EXOSCALE_CATALOG.sizes.find((s) => s.name === 'medium');
    expect((await catalog.resolveInstanceType('standard.medium')).id).toBe(medium?.id);
    expect((await catalog.resolveInstanceType('Standard.Medium')).id).toBe(medium?.id);
    expect((await catalog.resolveInstanceType(medium?.id ?? '')).size).toBe('medium');
  });

  it('refreshes once for an unknown reference, then explains what exists', async () => {
    target.sim.control.clearRequests();
    const error = await failure(() => catalog.resolveTemplate('Windows 3.11'));
    expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toContain(`"${UBUNTU}"`);
    expect(target.sim.control.count('list-templates')).toBe(2);
    const type = await failure(() => catalog.resolveInstanceType('gpu.huge'));
    expect((type as Error).message).toContain('standard.micro');
  });
});
