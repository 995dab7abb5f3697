import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { glanceNextPath, glancePages, novaList, PAGE_SIZE } from './pages.js';
import { type Stub, startStub, stubClient } from './test-stub.js';

let stub: Stub;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

const ids = Array.from({ length: 7 }, (_, i) => `id-${i + 1}`);

/** Nova with osapi_max_limit = 3: pages of 3 and a next link while there may be more. */
function novaPaging(path: string, marker: string | null) {
  const start = marker === null ? 0 : ids.indexOf(marker) + 1;
  const page = ids.slice(start, start + 3);
  const last = page.at(-1);
  return {
    body: {
      servers: page.map((id) => ({ id })),
      ...(page.length === 3 && last
        ? {
            servers_links: [
              { rel: 'next', href: `http://internal-host:8774/v2.1${path}?limit=3&marker=${last}` },
            ],
          }
        : {}),
    },
  };
}

describe('novaList', () => {
  it('follows the next links with markers until Nova gives none, asking for full pages', async () => {
    stub.handle((request) => novaPaging('/servers/detail', request.query.get('marker')));
    const all = await novaList<{ id: string }>(stubClient(stub), {
      operation: 'list-servers-detail',
      path: '/servers/detail',
      key: 'servers',
      query: { name: 'web' },
    });
    expect(all.map((s) => s.id)).toEqual(ids);
    expect(stub.requests.map((r) => r.query.get('marker'))).toEqual([null, 'id-3', 'id-6']);
    expect(
      stub.requests.every((r) => r.query.get('limit') === String(PAGE_SIZE) && r.query.get('name') === 'web'),
    ).toBe(true);
    // Only the marker is taken from Nova's link, never its host.
    expect(stub.requests.every((r) => r.path === '/compute/v2.1/servers/detail')).toBe(true);
  });

  it('stops on an empty page and refuses a next link that repeats', async () => {
    stub.handle(() => ({
      body: { servers: [], servers_links: [{ rel: 'next', href: '/servers?marker=x' }] },
    }));
    const client = stubClient(stub);
    const listing = { operation: 'list-servers-detail', path: '/servers/detail', key: 'servers' };
    expect(await novaList(client, listing)).toEqual([]);
    stub.handle(() => ({
      body: { servers: [{ id: 'a' }], servers_links: [{ rel: 'next', href: '/servers?marker=a' }] },
    }));
    await expect(novaList(client, listing)).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('repeats marker a'),
    });
  });

  it('fails CLOUD_ERROR naming the operation on a malformed list', async () => {
    stub.handle(() => ({ body: { servers: [{ name: 'no id' }] } }));
    await expect(
      novaList(stubClient(stub), {
        operation: 'list-servers-detail',
        path: '/servers/detail',
        key: 'servers',
      }),
    ).rejects.toMatchObject({
      code: 'CLOUD_ERROR',
      message: expect.stringContaining('Nova list-servers-detail'),
    });
  });
});

describe('Glance paging', () => {
  it('reads next links below the unversioned root, relative or absolute', () => {
    expect(glanceNextPath('/v2/images?marker=abc&limit=2')).toBe('/images?marker=abc&limit=2');
    expect(glanceNextPath('http://glance:9292/v2/images?marker=abc')).toBe('/images?marker=abc');
    expect(glanceNextPath('/images?marker=abc')).toBeUndefined();
  });

  it('follows next until there is none', async () => {
    stub.handle((request) => {
      const marker = request.query.get('marker');
      const start = marker === null ? 0 : ids.indexOf(marker) + 1;
      const page = ids.slice(start, start + 2);
      const more = start + 2 < ids.length;
      return {
        body: {
          images: page.map((id) => ({ id, status: 'active' })),
          first: '/v2/images?limit=2',
          schema: '/v2/schemas/images',
          ...(more ? { next: `/v2/images?marker=${page.at(-1)}&limit=2` } : {}),
        },
      };
    });
    const seen: string[] = [];
    for await (const page of glancePages<{ id: string }>(stubClient(stub), {
      operation: 'list-images',
      key: 'images',
      path: '/images',
    })) {
      seen.push(...page.map((image) => image.id));
    }
    expect(seen).toEqual(ids);
    expect(stub.requests.map((r) => `${r.path}?${r.query}`)).toEqual([
      `/image/v2/images?limit=${PAGE_SIZE}`,
      '/image/v2/images?marker=id-2&limit=2',
      '/image/v2/images?marker=id-4&limit=2',
      '/image/v2/images?marker=id-6&limit=2',
    ]);
  });
});
