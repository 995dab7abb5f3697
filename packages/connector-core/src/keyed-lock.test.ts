import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('runs work with one key one after the other, other keys alongside, and survives failures', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = lock.run('k', async () => {
      await gate;
      order.push('k1');
      throw new Error('k1 failed');
    });
    const second = lock.run('k', async () => {
      order.push('k2');
      return 'k2';
    });
    const other = lock.run('other', async () => {
      order.push('o1');
      return 'o1';
    });
    await other;
    expect(order).toEqual(['o1']);
    expect(lock.size).toBe(1);
    release();
    await expect(first).rejects.toThrow('k1 failed');
    await expect(second).resolves.toBe('k2');
    expect(order).toEqual(['o1', 'k1', 'k2']);
    expect(lock.size).toBe(0);
  });
});
