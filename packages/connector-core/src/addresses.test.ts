import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './addresses.js';

describe('isPrivateAddress', () => {
  it('knows the private ranges at their edges', () => {
    for (const address of [
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '100.127.0.1',
      '169.254.1.1',
      '127.0.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of [
      '172.15.0.1',
      '172.32.0.1',
      '100.63.0.1',
      '100.128.0.1',
      '8.8.8.8',
      '185.19.28.1',
      '2001:db8::1',
      'not an ip',
      '',
    ]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('calls every 10.x.y.z address private and every 11.x.y.z public', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(isPrivateAddress(`10.${b}.${c}.${d}`)).toBe(true);
        expect(isPrivateAddress(`11.${b}.${c}.${d}`)).toBe(false);
      }),
    );
  });
});
