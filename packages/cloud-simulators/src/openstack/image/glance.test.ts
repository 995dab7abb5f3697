import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimImage } from '../../model/types.js';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { send, TestSession } from '../test-client.js';

/** Thirty images, one a day: more than Glance's default page of 25. */
const IMAGES: SimImage[] = Array.from({ length: 30 }, (_, index) => ({
  id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
  name: `image-${index + 1}`,
  description: `Image ${index + 1}`,
  os: index % 2 === 0 ? 'Ubuntu 24.04' : 'Debian 12',
  sizeGb: 2,
  featured: index < 28,
  createdAt: Date.UTC(2025, 0, 1 + index),
}));

describe('Glance v2 images', () => {
  let sim: RunningOpenStack;
  let os: TestSession;

  beforeAll(async () => {
    sim = await startOpenStack({ images: IMAGES });
    os = await new TestSession(sim).login();
  });
  afterAll(() => sim.close());

  it('lists versions at the root (300) and at /versions (200), without a token', async () => {
    const root = await send(sim.imageUrl);
    expect(root.status).toBe(300);
    expect(root.body.versions[0]).toEqual({
      id: 'v2.16',
      status: 'CURRENT',
      links: [{ rel: 'self', href: `${sim.imageUrl}/v2/` }],
    });
    expect(root.body.versions.map((version: { id: string }) => version.id)).toContain('v2.0');
    expect((await send(`${sim.imageUrl}/versions`)).status).toBe(200);
  });

  it('pages by 25, newest first, with next links relative to the image root', async () => {
    const first = await os.image('/v2/images');
    expect(first.status).toBe(200);
    expect(first.body.images).toHaveLength(25);
    expect(first.body.images[0].name).toBe('image-30');
    expect(first.body).toMatchObject({ first: '/v2/images', schema: '/v2/schemas/images' });
    expect(first.body.next).toBe('/v2/images?marker=00000000-0000-4000-8000-000000000006');
    const second = await os.image(first.body.next);
    expect(second.body.images.map((image: { name: string }) => image.name)).toEqual([
      'image-5',
      'image-4',
      'image-3',
      'image-2',
      'image-1',
    ]);
    expect(second.body).not.toHaveProperty('next');
    expect(second.body.first).toBe('/v2/images');
  });

  it('keeps limit and filters in first and next links, and a full last page still links on', async () => {
    const page = await os.image('/v2/images?limit=2&visibility=private');
    expect(page.body.images.map((image: { name: string }) => image.name)).toEqual(['image-30', 'image-29']);
    expect(page.body.first).toBe('/v2/images?limit=2&visibility=private');
    expect(page.body.next).toBe(
      '/v2/images?limit=2&visibility=private&marker=00000000-0000-4000-8000-000000000029',
    );
    const empty = await os.image(page.body.next);
    expect(empty.body.images).toEqual([]);
    expect(empty.body).not.toHaveProperty('next');
  });

  it('shows an image with the fields of the Glance schema', async () => {
    const answer = await os.image('/v2/images/00000000-0000-4000-8000-000000000001');
    expect(answer.body).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      name: 'image-1',
      status: 'active',
      visibility: 'public',
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: 2,
      min_ram: 0,
      size: expect.any(Number),
      os_distro: 'ubuntu',
      os_version: '24.04',
      protected: false,
      os_hidden: false,
      self: '/v2/images/00000000-0000-4000-8000-000000000001',
      file: '/v2/images/00000000-0000-4000-8000-000000000001/file',
      schema: '/v2/schemas/image',
      created_at: '2025-01-01T00:00:00Z',
    });
    const mine = await os.image('/v2/images/00000000-0000-4000-8000-000000000030');
    expect(mine.body).toMatchObject({ visibility: 'private', owner: sim.user.projectId });
  });

  it('filters on extra properties and sorts as asked', async () => {
    const debian = await os.image('/v2/images?os_distro=debian&limit=100');
    expect(debian.body.images).toHaveLength(15);
    const byName = await os.image('/v2/images?sort=name:asc&limit=3');
    expect(byName.body.images.map((image: { name: string }) => image.name)).toEqual([
      'image-1',
      'image-10',
      'image-11',
    ]);
    expect((await os.image('/v2/images?tag=x')).body.images).toEqual([]);
  });

  it("answers errors with WebOb's pages, in the representation the client accepts", async () => {
    const json = await os.image('/v2/images/nope');
    expect(json.status).toBe(404);
    expect(json.body).toEqual({
      message: 'No image found with ID nope<br /><br />\n\n\n',
      code: '404 Not Found',
      title: 'Not Found',
    });
    const plain = await os.image('/v2/images/nope', { headers: { accept: 'text/plain' } });
    expect(plain.text).toBe('404 Not Found\n\nNo image found with ID nope\n\n   ');
    const html = await os.image('/v2/images?limit=ten', { headers: { accept: '*/*' } });
    expect(html.status).toBe(400);
    expect(html.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(html.text).toContain('<h1>400 Bad Request</h1>\n  limit param must be an integer<br /><br />');
    expect((await os.image('/v2/images?visibility=secret')).body.message).toMatch(
      /^Invalid visibility value: secret/,
    );
    expect((await os.image('/v2/images?marker=nope')).body.message).toMatch(/^No image found with ID nope/);
    expect((await os.image('/v2/images?sort_key=colour')).status).toBe(400);
    expect((await os.image('/v2/images', { method: 'DELETE' })).status).toBe(405);
  });
});
