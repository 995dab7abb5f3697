import { describe, expect, it } from 'vitest';
import { RecentlyDeleted } from './recently-deleted.js';

describe('RecentlyDeleted', () => {
  it('remembers deletions per owner', () => {
    const deleted = new RecentlyDeleted();
    deleted.add('alice@cloud', 'vm-1');
    expect(deleted.has('alice@cloud', 'vm-1')).toBe(true);
    expect(deleted.has('bob@cloud', 'vm-1')).toBe(false);
    const bob = deleted.of('bob@cloud');
    bob.add('vm-2');
    expect(bob.has('vm-2')).toBe(true);
    expect(deleted.has('alice@cloud', 'vm-2')).toBe(false);
  });

  it('forgets the oldest entries beyond its limit, a re-added entry counting as new', () => {
    const deleted = new RecentlyDeleted(3);
    for (const id of ['a', 'b', 'c']) deleted.add('o', id);
    deleted.add('o', 'a');
    deleted.add('o', 'd');
    expect(['a', 'b', 'c', 'd'].filter((id) => deleted.has('o', id))).toEqual(['a', 'c', 'd']);
  });
});
