import { WireReader } from '@slipstream/connector-core';

/**
 * EC2's answers as the SDK returns them (PascalCase objects of its output shapes), read tolerantly:
 * the SDK turns EC2's XML into these shapes without checking them, so a field of an unexpected
 * type is noted by core's WireReader rather than trusted.
 */

/** EC2's `Tag` list (`[{ Key, Value }]`) as an object; an entry that cannot be read is noted. */
export function readTags(wire: WireReader, key = 'Tags'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [index, entry] of wire.list(key).entries()) {
    // Sharing the instance's list of unread fields, so that an odd tag degrades the instance.
    const tag = new WireReader(entry, `${key}.${index}`, wire.unread as string[]);
    const name = tag.string('Key');
    if (name !== undefined) tags[name] = tag.string('Value') ?? '';
  }
  return tags;
}

/** IPv6 addresses of an instance: its primary one and every network interface's. */
export function readIpv6(wire: WireReader): string[] {
  const addresses = new Set<string>();
  const primary = wire.string('Ipv6Address');
  if (primary) addresses.add(primary);
  for (const nic of wire.list('NetworkInterfaces')) {
    const list = (nic as { Ipv6Addresses?: unknown } | null)?.Ipv6Addresses;
    for (const entry of Array.isArray(list) ? list : []) {
      const address = (entry as { Ipv6Address?: unknown } | null)?.Ipv6Address;
      if (typeof address === 'string' && address !== '') addresses.add(address);
    }
  }
  return [...addresses];
}

/** A time the SDK read as a Date (LaunchTime), as ISO 8601. */
export function readTime(wire: WireReader, key: string): string | undefined {
  const value = wire.raw[key];
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}
