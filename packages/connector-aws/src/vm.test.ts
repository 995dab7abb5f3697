import { captureLogs } from '@slipstream/connector-testkit';
import { describe, expect, it } from 'vitest';
import { toVms } from './vm.js';

const instance = {
  InstanceId: 'i-0123456789abcdef0',
  State: { Code: 16, Name: 'running' },
  ImageId: 'ami-0c2b8ca1dad447f8a',
  InstanceType: 't3.micro',
  Placement: { AvailabilityZone: 'us-east-1a' },
  PrivateIpAddress: '10.0.0.12',
  PublicIpAddress: '203.0.113.7',
  NetworkInterfaces: [{ Ipv6Addresses: [{ Ipv6Address: '2001:db8::7' }] }],
  LaunchTime: new Date('2026-12-06T10:00:00Z'),
  Tags: [
    { Key: 'Name', Value: 'web' },
    { Key: 'team', Value: 'ops' },
    { Key: 'slipstream-idempotency-key', Value: 'k1' },
  ],
};

describe('toVms', () => {
  it('reads an EC2 instance as the contract VM: Name tag, addresses, zone, launch time, user tags only', () => {
    const { logger } = captureLogs();
    expect(toVms([{ Instances: [instance] }], logger)).toEqual([
      {
        id: 'i-0123456789abcdef0',
        name: 'web',
        state: 'running',
        rawState: 'running',
        publicIps: ['203.0.113.7', '2001:db8::7'],
        privateIps: ['10.0.0.12'],
        image: 'ami-0c2b8ca1dad447f8a',
        size: 't3.micro',
        zone: 'us-east-1a',
        createdAt: '2026-12-06T10:00:00.000Z',
        tags: { team: 'ops' },
      },
    ]);
  });

  it('shows an instance with an unreadable tag as unknown, with one warning naming the field', () => {
    const { logger, entries } = captureLogs();
    const odd = { ...instance, Tags: [...instance.Tags, { Key: 'cost', Value: 42 }] };
    const [vm] = toVms([{ Instances: [odd] }], logger);
    expect(vm).toMatchObject({ id: 'i-0123456789abcdef0', name: 'web', state: 'unknown' });
    const warnings = entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('Tags.3.Value');
  });
});
