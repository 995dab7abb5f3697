import { describe, expect, it } from 'vitest';
import { arrayOf, idOf, itemOf, listOf, markerOf, nextLink, withId } from './wire.js';

describe('reading ids', () => {
  it('reads a string id as is and a numeric one as its decimal string', () => {
    expect(idOf({ id: 'abc' })).toBe('abc');
    expect(idOf({ id: 12065 })).toBe('12065');
    expect(idOf({ id: '' })).toBeUndefined();
    expect(idOf({ id: 1.5 })).toBeUndefined();
    expect(idOf({ id: { nested: 1 } })).toBeUndefined();
    expect(idOf('12065')).toBeUndefined();
    expect(withId<{ id: string; name: string }>({ id: 7, name: 'n' })).toEqual({ id: '7', name: 'n' });
  });

  it('lists items with numeric ids under string ids, and refuses an item without one', () => {
    expect(
      listOf<{ id: string }>({ ports: [{ id: 'p1' }, { id: 12065 }] }, 'ports', 'Neutron', 'list-ports'),
    ).toEqual([{ id: 'p1' }, { id: '12065' }]);
    expect(() => listOf({ ports: [{ id: 'p1' }, { name: 'x' }] }, 'ports', 'Neutron', 'list-ports')).toThrow(
      expect.objectContaining({
        code: 'CLOUD_ERROR',
        message: expect.stringContaining('Neutron list-ports'),
      }),
    );
    expect(() => arrayOf({ servers: {} }, 'servers', 'Nova', 'list-servers-detail')).toThrow(
      /no "servers" array/,
    );
  });

  it('reads one item with a numeric id, and refuses one without', () => {
    expect(itemOf<{ id: string }>({ server: { id: 42 } }, 'server', 'Nova', 'create-server').id).toBe('42');
    expect(() => itemOf({ server: { links: [] } }, 'server', 'Nova', 'create-server')).toThrow(
      expect.objectContaining({ code: 'CLOUD_ERROR' }),
    );
  });

  it("takes only the marker of Nova's next link", () => {
    const data = {
      servers_links: [{ rel: 'next', href: 'http://internal:8774/v2.1/servers?marker=m-1&limit=2' }],
    };
    const next = nextLink(data, 'servers_links');
    expect(next).toBeDefined();
    expect(markerOf(next ?? '')).toBe('m-1');
    expect(nextLink({ servers_links: [{ rel: 'self', href: 'x' }] }, 'servers_links')).toBeUndefined();
  });
});
