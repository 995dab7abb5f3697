import { describe, expect, it } from 'vitest';
import { DeletedInstances } from './deleted.js';

describe('DeletedInstances', () => {
  it('remembers deletions per owner, ignoring the case of ids', () => {
    const deleted = new DeletedInstances();
    deleted.add('alice@zone', 'ABC');
    expect(deleted.has('alice@zone', 'abc')).toBe(true);
    expect(deleted.has('bob@zone', 'abc')).toBe(false);
  });

  it('forgets the oldest entries beyond its bound', () => {
    const deleted = new DeletedInstances(2);
    deleted.add('o', 'a');
    deleted.add('o', 'b');
    deleted.add('o', 'a');
    deleted.add('o', 'c');
    expect(['a', 'b', 'c'].filter((id) => deleted.has('o', id))).toEqual(['a', 'c']);
  });
});
