import { describe, expect, it } from 'vitest';
import { InFlightLimit } from './in-flight.js';

describe('InFlightLimit', () => {
  it('lets `limit` in per key, and one more once one leaves', () => {
    const gate = new InFlightLimit(2);
    const first = gate.tryEnter('a');
    const second = gate.tryEnter('a');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(gate.tryEnter('a')).toBeUndefined();
    expect(gate.tryEnter('b')).toBeDefined();
    first?.();
    first?.();
    expect(gate.tryEnter('a')).toBeDefined();
    expect(gate.tryEnter('a')).toBeUndefined();
  });

  it('forgets keys with nothing in flight', () => {
    const gate = new InFlightLimit(1);
    const leave = gate.tryEnter('a');
    expect(gate.size).toBe(1);
    leave?.();
    expect(gate.size).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new InFlightLimit(0)).toThrow(RangeError);
  });
});
