import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSorter, addressKind, isPrivateAddress } from './addresses.js';

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

describe('addressKind', () => {
  it('tells private, public and not-an-address apart', () => {
    expect(['10.1.2.3', 'FE80::1', '8.8.8.8', '2001:db8::1', '10.1.2', '', 'fe80'].map(addressKind)).toEqual([
      'private',
      'private',
      'public',
      'public',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('agrees on every IPv4 address with a reading of its octets as numbers', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const privateByOctets = (a: number, b: number): boolean =>
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127);
    // Most random addresses are public: half of the cases start in a private range's first octet.
    const first = fc.oneof(octet, fc.constantFrom(10, 100, 127, 169, 172, 192));
    fc.assert(
      fc.property(first, octet, octet, octet, (a, b, c, d) => {
        expect(addressKind(`${a}.${b}.${c}.${d}`)).toBe(privateByOctets(a, b) ? 'private' : 'public');
      }),
      { numRuns: 2000 },
    );
  });

  it('takes for an IP address exactly what Node’s isIP takes', () => {
    // Near misses are what matter: leading zeros, octets over 255, missing or extra parts, other
    // characters among the digits, and the IPv4 forms isIP refuses (hex, octal, shortened).
    const nearIpv4 = fc
      .array(fc.constantFrom('0', '1', '2', '5', '9', '00', '255', '256', '300', '.', '.', ' ', 'a', ':'), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    const text = fc.oneof(nearIpv4, fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.string());
    fc.assert(
      fc.property(text, (address) => {
        expect(addressKind(address) !== undefined).toBe(isIP(address) !== 0);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('AddressSorter', () => {
  it('sorts one VM at a time, each address once, leaving out what is not an address', () => {
    const sorter = new AddressSorter();
    sorter.start();
    for (const address of ['203.0.113.5', '10.0.0.5', '203.0.113.5', 'eth0', '', 42, null])
      sorter.add(address);
    sorter.add('192.168.1.9', true);
    const first = { publicIps: sorter.publicIps(), privateIps: sorter.privateIps() };
    expect(first).toEqual({ publicIps: ['203.0.113.5', '192.168.1.9'], privateIps: ['10.0.0.5'] });

    sorter.start();
    sorter.add('fd00::7');
    expect([sorter.publicIps(), sorter.privateIps()]).toEqual([[], ['fd00::7']]);
    // The arrays handed out are the caller's: the next VM does not change them.
    expect(first.publicIps).toEqual(['203.0.113.5', '192.168.1.9']);
    expect(sorter.publicIps()).not.toBe(sorter.publicIps());
  });
});
