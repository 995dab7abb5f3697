import { describe, expect, it } from 'vitest';
import { privateAddress, publicAddress } from './addresses.js';

describe('addresses', () => {
  it('hands out public addresses from the benchmark range 198.18.0.0/15 only', () => {
    expect(publicAddress(1)).toBe('198.18.0.1');
    expect(publicAddress(256)).toBe('198.18.1.0');
    expect(publicAddress(65_536)).toBe('198.19.0.0');
    expect(publicAddress(131_070)).toBe('198.19.255.254');
    expect(publicAddress(131_071)).toBe('198.18.0.1');
  });

  it('hands out private addresses from 10.0.0.0/8', () => {
    expect(privateAddress(1)).toBe('10.0.0.1');
    expect(privateAddress(70_000)).toBe('10.1.17.112');
  });
});
