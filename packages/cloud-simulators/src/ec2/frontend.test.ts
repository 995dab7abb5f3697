import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { AMAZON_OWNER_ID, EC2_IMAGES, EC2_INSTANCE_TYPES } from './catalog.js';
import { type RunningEc2, startEc2 } from './index.js';
import { Ec2TestClient, filterParams, listParams, type Xml } from './test-client.js';

/** The EC2 actions through HTTP, signed by AWS's signer, answers parsed as XML. */

const AL2023 = EC2_IMAGES[0]?.id as string;
const OWN_IMAGE = EC2_IMAGES.find((image) => !image.featured)?.id as string;
const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJpIMNbdb5D2o1vVmyOBh3G1FE1oZdvGJh7tEv4jVcY test@example';

const BOOT = 10_000;
const HALT = 5_000;

/** Every instance of a DescribeInstances answer, across its reservations. */
function instancesOf(answer: Xml): Xml[] {
  return (answer.reservationSet?.item ?? []).flatMap(
    (reservation: Xml) => reservation.instancesSet?.item ?? [],
  );
}

describe('the EC2 front-end', () => {
  let sim: RunningEc2;
  let clock: ManualClock;
  let ec2: Ec2TestClient;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    sim = await startEc2({
      clock,
      bootDelayMs: BOOT,
      haltDelayMs: HALT,
      accounts: [{ key: 'AKIAEXAMPLEFRONTEND1', secret: 'front/end+secret', vmLimit: 30 }],
    });
    ec2 = new Ec2TestClient(sim.url, sim.credentials, 'us-east-1', () => clock.now());
    accountId = sim.control.cloud.accountByKey(sim.credentials.key)?.id as string;
  });
  afterEach(() => sim.close());

  const run = (params: Record<string, string> = {}) =>
    ec2.ok('RunInstances', {
      ImageId: AL2023,
      InstanceType: 't3.micro',
      MinCount: '1',
      MaxCount: '1',
      ...params,
    });

  describe('answers', () => {
    it('in the 2016-11-15 namespace with a requestId, as text/xml from AmazonEC2', async () => {
      const answer = await ec2.call('DescribeAvailabilityZones');
      expect(answer.status).toBe(200);
      expect(answer.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeAvailabilityZonesResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/">/,
      );
      expect(answer.headers.get('server')).toBe('AmazonEC2');
      const body = answer.xml.DescribeAvailabilityZonesResponse;
      expect(body.requestId).toBe(answer.headers.get('x-amzn-requestid'));
      expect(body.availabilityZoneInfo.item).toHaveLength(6);
      expect(body.availabilityZoneInfo.item[0]).toMatchObject({
        zoneName: 'us-east-1a',
        zoneState: 'available',
        regionName: 'us-east-1',
        zoneId: 'use1-az1',
        zoneType: 'availability-zone',
        optInStatus: 'opt-in-not-required',
      });
    });

    it('errors as <Response><Errors><Error> with a RequestID, on one line', async () => {
      const answer = await ec2.call('DescribeNothing');
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action DescribeNothing is not valid for this web service.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
      );
      expect(await ec2.error('DescribeInstances', {}, { version: '2014-10-01' })).toMatchObject({
        status: 400,
        code: 'NoSuchVersion',
      });
      expect(await ec2.error('DescribeInstances', { DryRun: 'true' })).toMatchObject({
        status: 412,
        code: 'DryRunOperation',
      });
      const missing = await fetch(sim.url, { method: 'POST' });
      expect(missing.status).toBe(400);
    });
  });

  describe('catalog', () => {
    it('filters zones by name', async () => {
      const answer = await ec2.ok(
        'DescribeAvailabilityZones',
        filterParams({ 'zone-name': ['us-east-1b', 'us-east-1c'] }),
      );
      expect(answer.availabilityZoneInfo.item.map((zone: Xml) => zone.zoneName)).toEqual([
        'us-east-1b',
        'us-east-1c',
      ]);
      expect(await ec2.error('DescribeAvailabilityZones', filterParams({ colour: ['blue'] }))).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });

    it('lists images by owner: self, amazon, or an account number', async () => {
      const self = await ec2.ok('DescribeImages', listParams('Owner', ['self']));
      expect(self.imagesSet.item.every((image: Xml) => image.imageOwnerId === sim.accountId)).toBe(true);
      expect(self.imagesSet.item.map((image: Xml) => image.imageId)).toContain(OWN_IMAGE);
      const amazon = await ec2.ok('DescribeImages', listParams('Owner', ['amazon']));
      expect(amazon.imagesSet.item[0]).toMatchObject({
        imageId: AL2023,
        imageState: 'available',
        imageOwnerId: AMAZON_OWNER_ID,
        imageOwnerAlias: 'amazon',
        isPublic: 'true',
        architecture: 'x86_64',
        rootDeviceType: 'ebs',
        virtualizationType: 'hvm',
      });
      const both = await ec2.ok('DescribeImages', listParams('Owner', ['self', AMAZON_OWNER_ID]));
      expect(both.imagesSet.item).toHaveLength(EC2_IMAGES.length);
      const nobody = await ec2.ok('DescribeImages', listParams('Owner', ['999999999999']));
      expect(nobody.imagesSet).toBe('');
    });

    it('pages images with MaxResults and NextToken, bound to the query', async () => {
      const first = await ec2.ok('DescribeImages', { MaxResults: '5' });
      expect(first.imagesSet.item).toHaveLength(5);
      expect(first.nextToken).toBeTruthy();
      const second = await ec2.ok('DescribeImages', { MaxResults: '5', NextToken: first.nextToken });
      expect(second.imagesSet.item).toHaveLength(EC2_IMAGES.length - 5);
      expect(second.nextToken).toBeUndefined();
      const ids = [...first.imagesSet.item, ...second.imagesSet.item].map((image: Xml) => image.imageId);
      expect(ids).toEqual(EC2_IMAGES.map((image) => image.id));
      expect(
        await ec2.error('DescribeImages', {
          MaxResults: '5',
          NextToken: first.nextToken,
          ...listParams('Owner', ['self']),
        }),
      ).toMatchObject({ status: 400, code: 'InvalidPaginationToken' });
      expect(await ec2.error('DescribeImages', { MaxResults: '4' })).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });

    it('refuses unknown and malformed image ids', async () => {
      expect(
        await ec2.error('DescribeImages', listParams('ImageId', ['ami-00000000000000000'])),
      ).toMatchObject({
        status: 400,
        code: 'InvalidAMIID.NotFound',
      });
      expect(await ec2.error('DescribeImages', listParams('ImageId', ['image-1']))).toMatchObject({
        code: 'InvalidAMIID.Malformed',
      });
      const one = await ec2.ok('DescribeImages', listParams('ImageId', [OWN_IMAGE]));
      expect(one.imagesSet.item).toHaveLength(1);
    });

    it('describes instance types with vCPUs and memory, over several pages', async () => {
      const seen: Xml[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await ec2.ok('DescribeInstanceTypes', {
          MaxResults: '5',
          ...(token ? { NextToken: token } : {}),
        });
        seen.push(...page.instanceTypeSet.item);
        token = page.nextToken;
        pages += 1;
      } while (token);
      expect(pages).toBe(Math.ceil(EC2_INSTANCE_TYPES.length / 5));
      expect(seen.map((type) => type.instanceType)).toEqual(EC2_INSTANCE_TYPES.map((type) => type.name));
      const micro = seen.find((type) => type.instanceType === 't3.micro');
      expect(micro).toMatchObject({
        currentGeneration: 'true',
        vCpuInfo: { defaultVCpus: '2', defaultCores: '1', defaultThreadsPerCore: '2' },
        memoryInfo: { sizeInMiB: '1024' },
        processorInfo: { supportedArchitectures: { item: ['x86_64'] } },
      });
      const graviton = await ec2.ok('DescribeInstanceTypes', listParams('InstanceType', ['m6g.large']));
      expect(graviton.instanceTypeSet.item[0].processorInfo.supportedArchitectures.item).toEqual(['arm64']);
      expect(await ec2.error('DescribeInstanceTypes', listParams('InstanceType', ['t9.huge']))).toMatchObject(
        {
          code: 'InvalidInstanceType',
        },
      );
      expect(await ec2.error('DescribeInstanceTypes', { MaxResults: '101' })).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });

    it('offers every type in the region, or in each zone', async () => {
      const region = await ec2.ok('DescribeInstanceTypeOfferings');
      expect(region.instanceTypeOfferingSet.item).toHaveLength(EC2_INSTANCE_TYPES.length);
      expect(region.instanceTypeOfferingSet.item[0]).toEqual({
        instanceType: 't2.micro',
        locationType: 'region',
        location: 'us-east-1',
      });
      const zoned = await ec2.ok('DescribeInstanceTypeOfferings', {
        LocationType: 'availability-zone',
        MaxResults: '1000',
        ...filterParams({ location: ['us-east-1a'], 'instance-type': ['t3.*'] }),
      });
      expect(zoned.instanceTypeOfferingSet.item.map((o: Xml) => o.instanceType)).toEqual([
        't3.nano',
        't3.micro',
        't3.small',
        't3.medium',
        't3.large',
      ]);
      const first = await ec2.ok('DescribeInstanceTypeOfferings', {
        LocationType: 'availability-zone',
        MaxResults: '50',
      });
      expect(first.instanceTypeOfferingSet.item).toHaveLength(50);
      const rest = await ec2.ok('DescribeInstanceTypeOfferings', {
        LocationType: 'availability-zone',
        MaxResults: '50',
        NextToken: first.nextToken,
      });
      // 18 types in 6 zones: 108 offerings, in pages of 50.
      expect(rest.instanceTypeOfferingSet.item).toHaveLength(50);
      const last = await ec2.ok('DescribeInstanceTypeOfferings', {
        LocationType: 'availability-zone',
        MaxResults: '50',
        NextToken: rest.nextToken,
      });
      expect(last.instanceTypeOfferingSet.item).toHaveLength(EC2_INSTANCE_TYPES.length * 6 - 100);
      expect(last.nextToken).toBeUndefined();
    });
  });

  describe('key pairs', () => {
    it('imports, describes and deletes, refusing duplicates and unknown names', async () => {
      const material = Buffer.from(PUBLIC_KEY).toString('base64');
      const imported = await ec2.ok('ImportKeyPair', { KeyName: 'deploy', PublicKeyMaterial: material });
      expect(imported.keyName).toBe('deploy');
      expect(imported.keyPairId).toMatch(/^key-[0-9a-f]{17}$/);
      expect(imported.keyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      expect(
        await ec2.error('ImportKeyPair', { KeyName: 'deploy', PublicKeyMaterial: material }),
      ).toMatchObject({
        status: 400,
        code: 'InvalidKeyPair.Duplicate',
      });
      expect(
        await ec2.error('ImportKeyPair', {
          KeyName: 'bad',
          PublicKeyMaterial: Buffer.from('not a key').toString('base64'),
        }),
      ).toMatchObject({ code: 'InvalidKey.Format' });
      const described = await ec2.ok('DescribeKeyPairs', {
        ...listParams('KeyName', ['deploy']),
        IncludePublicKey: 'true',
      });
      expect(described.keySet.item[0]).toMatchObject({
        keyPairId: imported.keyPairId,
        keyName: 'deploy',
        keyType: 'ed25519',
        keyFingerprint: imported.keyFingerprint,
        publicKey: PUBLIC_KEY,
      });
      expect(await ec2.error('DescribeKeyPairs', listParams('KeyName', ['nope']))).toMatchObject({
        status: 400,
        code: 'InvalidKeyPair.NotFound',
        message: "The key pair 'nope' does not exist",
      });
      expect((await ec2.ok('DeleteKeyPair', { KeyName: 'deploy' })).return).toBe('true');
      expect((await ec2.ok('DeleteKeyPair', { KeyName: 'deploy' })).return).toBe('true');
      expect((await ec2.ok('DescribeKeyPairs')).keySet).toBe('');
    });

    it("lists no Elastic IP addresses: an instance's automatic public address is not one", async () => {
      const instanceId = (await run()).instancesSet.item[0].instanceId;
      expect((await ec2.ok('DescribeAddresses')).addressesSet).toBe('');
      const filtered = await ec2.ok('DescribeAddresses', filterParams({ 'instance-id': [instanceId] }));
      expect(filtered.addressesSet).toBe('');
      expect(await ec2.error('DescribeAddresses', listParams('PublicIp', ['203.0.113.7']))).toMatchObject({
        status: 400,
        code: 'InvalidAddress.NotFound',
        message: "Address '203.0.113.7' not found.",
      });
      expect(
        await ec2.error('DescribeAddresses', listParams('AllocationId', ['eipalloc-0123456789abcdef0'])),
      ).toMatchObject({ code: 'InvalidAllocationID.NotFound' });
      expect(await ec2.error('DescribeAddresses', filterParams({ color: ['red'] }))).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });
  });

  describe('instances', () => {
    it('launches with everything RunInstances takes, shaped like the reference', async () => {
      await ec2.ok('ImportKeyPair', {
        KeyName: 'deploy',
        PublicKeyMaterial: Buffer.from(PUBLIC_KEY).toString('base64'),
      });
      const zones = await ec2.ok('DescribeAvailabilityZones');
      expect(zones.availabilityZoneInfo.item.length).toBeGreaterThan(1);
      const answer = await run({
        MinCount: '2',
        MaxCount: '2',
        KeyName: 'deploy',
        UserData: Buffer.from('#!/bin/sh\necho hello\n').toString('base64'),
        'Placement.AvailabilityZone': 'us-east-1c',
        ...listParams('SecurityGroupId', ['sg-0123456789abcdef0']),
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.1.Tag.1.Key': 'Name',
        'TagSpecification.1.Tag.1.Value': 'web',
        'TagSpecification.1.Tag.2.Key': 'slipstream:key',
        'TagSpecification.1.Tag.2.Value': 'k-1',
        'TagSpecification.2.ResourceType': 'volume',
        'TagSpecification.2.Tag.1.Key': 'ignored',
        'TagSpecification.2.Tag.1.Value': 'on-instances',
        ClientToken: 'launch-1',
      });
      expect(answer.reservationId).toMatch(/^r-[0-9a-f]{17}$/);
      expect(answer.ownerId).toBe(sim.accountId);
      expect(answer.groupSet.item).toEqual([
        { groupId: 'sg-0123456789abcdef0', groupName: 'sg-0123456789abcdef0' },
      ]);
      const [first, second] = answer.instancesSet.item;
      expect(first).toMatchObject({
        imageId: AL2023,
        instanceState: { code: '0', name: 'pending' },
        keyName: 'deploy',
        amiLaunchIndex: '0',
        instanceType: 't3.micro',
        launchTime: '2026-03-01T12:00:00.000Z',
        placement: { availabilityZone: 'us-east-1c', tenancy: 'default' },
        clientToken: 'launch-1',
        tagSet: {
          item: [
            { key: 'Name', value: 'web' },
            { key: 'slipstream:key', value: 'k-1' },
          ],
        },
      });
      expect(first.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(first.privateIpAddress).toMatch(/^10\./);
      expect(first.ipAddress).toMatch(/^198\.1[89]\./);
      expect(first.subnetId).toMatch(/^subnet-/);
      expect(second.amiLaunchIndex).toBe('1');
      const vm = sim.control.cloud.vms(accountId)[0];
      expect(vm?.userData).toBe(Buffer.from('#!/bin/sh\necho hello\n').toString('base64'));
    });

    it('returns the same reservation for a repeated ClientToken, never a second set', async () => {
      const params = { MinCount: '3', MaxCount: '3', ClientToken: 'retry-me' };
      const first = await run(params);
      const again = await run(params);
      expect(again.reservationId).toBe(first.reservationId);
      expect(again.instancesSet.item.map((i: Xml) => i.instanceId)).toEqual(
        first.instancesSet.item.map((i: Xml) => i.instanceId),
      );
      expect(sim.control.cloud.vms(accountId)).toHaveLength(3);
      const mismatch = await ec2.error('RunInstances', {
        ImageId: AL2023,
        InstanceType: 't3.small',
        MinCount: '3',
        MaxCount: '3',
        ClientToken: 'retry-me',
      });
      expect(mismatch).toMatchObject({ status: 400, code: 'IdempotentParameterMismatch' });
      const filtered = await ec2.ok('DescribeInstances', filterParams({ 'client-token': ['retry-me'] }));
      expect(instancesOf(filtered)).toHaveLength(3);
    });

    it("refuses a launch past the account's quota with InstanceLimitExceeded, and launches what fits above MinCount", async () => {
      sim.control.cloud.seedVms(accountId, 27, { zone: 'us-east-1a', image: AL2023, size: 't3.micro' });
      const refused = await ec2.error('RunInstances', {
        ImageId: AL2023,
        MinCount: '4',
        MaxCount: '4',
        InstanceType: 't3.micro',
      });
      expect(refused).toMatchObject({ status: 400, code: 'InstanceLimitExceeded' });
      expect(refused.message).toContain('current instance limit of 30');
      const partial = await run({ MinCount: '1', MaxCount: '10' });
      expect(partial.instancesSet.item).toHaveLength(3);
    });

    it('refuses what RunInstances cannot launch, in EC2 terms', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ ImageId: 'ami-00000000000000000' }, 'InvalidAMIID.NotFound'],
        [{ ImageId: 'ubuntu' }, 'InvalidAMIID.Malformed'],
        [{ InstanceType: 't9.huge' }, 'InvalidParameterValue'],
        [{ KeyName: 'missing' }, 'InvalidKeyPair.NotFound'],
        [{ 'Placement.AvailabilityZone': 'eu-west-1a' }, 'InvalidParameterValue'],
        [{ SubnetId: 'subnet-00000000000000000' }, 'InvalidSubnetID.NotFound'],
        [{ UserData: 'not base64!' }, 'InvalidParameterValue'],
        [{ MinCount: '2', MaxCount: '1' }, 'InvalidParameterValue'],
        [{ MinCount: '', MaxCount: '' }, 'InvalidParameterValue'],
      ];
      for (const [params, code] of cases) {
        const error = await ec2.error('RunInstances', {
          ImageId: AL2023,
          InstanceType: 't3.micro',
          MinCount: '1',
          MaxCount: '1',
          ...params,
        });
        expect(error, JSON.stringify(params)).toMatchObject({ status: 400, code });
      }
      expect(await ec2.error('RunInstances', { ImageId: AL2023, MaxCount: '1' })).toMatchObject({
        code: 'MissingParameter',
      });
      expect(sim.control.cloud.vms(accountId)).toHaveLength(0);
    });

    it('launches into a default subnet, taking its zone', async () => {
      const anywhere = await run();
      const subnet = anywhere.instancesSet.item[0].subnetId;
      expect(anywhere.instancesSet.item[0].placement.availabilityZone).toBe('us-east-1a');
      const again = await run({ SubnetId: subnet });
      expect(again.instancesSet.item[0].placement.availabilityZone).toBe('us-east-1a');
      expect(again.instancesSet.item[0].vpcId).toBe(anywhere.instancesSet.item[0].vpcId);
    });

    it('pages DescribeInstances with MaxResults and NextToken to the end', async () => {
      const seeded = sim.control.cloud.seedVms(accountId, 12, {
        zone: 'us-east-1a',
        image: AL2023,
        size: 't3.micro',
      });
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await ec2.ok('DescribeInstances', {
          MaxResults: '5',
          ...(token ? { NextToken: token } : {}),
        });
        ids.push(...instancesOf(page).map((instance) => instance.instanceId));
        token = page.nextToken;
        pages += 1;
      } while (token);
      expect(pages).toBe(3);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect(ids[0]).toBe(`i-${seeded[0]?.id.replace(/-/g, '').slice(0, 17)}`);
      expect(await ec2.error('DescribeInstances', { MaxResults: '1001' })).toMatchObject({
        code: 'InvalidParameterValue',
      });
      expect(
        await ec2.error('DescribeInstances', {
          MaxResults: '5',
          ...listParams('InstanceId', [ids[0] as string]),
        }),
      ).toMatchObject({ code: 'InvalidParameterCombination' });
    });

    it('filters by tag, tag key, state and id, and refuses unknown and malformed ids', async () => {
      const web = await run({
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.1.Tag.1.Key': 'Name',
        'TagSpecification.1.Tag.1.Value': 'web-1',
      });
      await run({
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.1.Tag.1.Key': 'role',
        'TagSpecification.1.Tag.1.Value': 'db',
      });
      const webId = web.instancesSet.item[0].instanceId;
      const byName = await ec2.ok('DescribeInstances', filterParams({ 'tag:Name': ['web-*'] }));
      expect(instancesOf(byName).map((i) => i.instanceId)).toEqual([webId]);
      const byKey = await ec2.ok('DescribeInstances', filterParams({ 'tag-key': ['role'] }));
      expect(instancesOf(byKey)).toHaveLength(1);
      const pending = await ec2.ok('DescribeInstances', filterParams({ 'instance-state-name': ['pending'] }));
      expect(instancesOf(pending)).toHaveLength(2);
      const none = await ec2.ok('DescribeInstances', filterParams({ 'instance-state-name': ['running'] }));
      expect(none.reservationSet).toBe('');
      const byId = await ec2.ok('DescribeInstances', listParams('InstanceId', [webId]));
      expect(instancesOf(byId).map((i) => i.instanceId)).toEqual([webId]);
      expect(await ec2.error('DescribeInstances', listParams('InstanceId', ['i-0123456789abcdef0']))).toEqual(
        {
          status: 400,
          code: 'InvalidInstanceID.NotFound',
          message: "The instance ID 'i-0123456789abcdef0' does not exist",
          requestId: expect.any(String),
        },
      );
      expect(await ec2.error('DescribeInstances', listParams('InstanceId', ['web-1']))).toMatchObject({
        status: 400,
        code: 'InvalidInstanceID.Malformed',
      });
    });

    it('tags instances with CreateTags, overwriting a key, and refuses unknown ids and tags', async () => {
      const launched = await run({
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.1.Tag.1.Key': 'Name',
        'TagSpecification.1.Tag.1.Value': 'web',
      });
      const id = launched.instancesSet.item[0].instanceId;
      const answer = await ec2.ok('CreateTags', {
        'ResourceId.1': id,
        'Tag.1.Key': 'Name',
        'Tag.1.Value': 'web-2',
        'Tag.2.Key': 'team',
        'Tag.2.Value': 'ops',
      });
      expect(answer.return).toBe('true');
      const byName = await ec2.ok('DescribeInstances', filterParams({ 'tag:Name': ['web-2'] }));
      expect(instancesOf(byName).map((i) => i.instanceId)).toEqual([id]);
      const byTeam = await ec2.ok('DescribeInstances', filterParams({ 'tag:team': ['ops'] }));
      expect(instancesOf(byTeam)).toHaveLength(1);
      expect(
        await ec2.error('CreateTags', {
          'ResourceId.1': 'i-0123456789abcdef0',
          'Tag.1.Key': 'k',
          'Tag.1.Value': 'v',
        }),
      ).toMatchObject({ status: 400, code: 'InvalidInstanceID.NotFound' });
      expect(await ec2.error('CreateTags', { 'ResourceId.1': 'vol-1', 'Tag.1.Key': 'k' })).toMatchObject({
        status: 400,
        code: 'InvalidID',
      });
      expect(
        await ec2.error('CreateTags', { 'ResourceId.1': id, 'Tag.1.Key': 'aws:x', 'Tag.1.Value': 'v' }),
      ).toMatchObject({ status: 400, code: 'InvalidParameterValue' });
    });

    it('moves through pending, running, stopping, stopped, shutting-down and terminated with the clock', async () => {
      const launched = await run();
      const id = launched.instancesSet.item[0].instanceId;
      const state = async () =>
        instancesOf(await ec2.ok('DescribeInstances', listParams('InstanceId', [id])))[0]?.instanceState;
      expect(await state()).toEqual({ code: '0', name: 'pending' });
      clock.advance(BOOT);
      expect(await state()).toEqual({ code: '16', name: 'running' });

      const stop = await ec2.ok('StopInstances', listParams('InstanceId', [id]));
      expect(stop.instancesSet.item[0]).toEqual({
        instanceId: id,
        currentState: { code: '64', name: 'stopping' },
        previousState: { code: '16', name: 'running' },
      });
      expect(await ec2.error('StartInstances', listParams('InstanceId', [id]))).toMatchObject({
        code: 'IncorrectInstanceState',
      });
      clock.advance(HALT);
      const stopped = instancesOf(await ec2.ok('DescribeInstances', listParams('InstanceId', [id])))[0];
      expect(stopped.instanceState).toEqual({ code: '80', name: 'stopped' });
      expect(stopped.ipAddress).toBeUndefined();
      expect(stopped.stateReason.code).toBe('Client.UserInitiatedShutdown');

      clock.advance(60_000);
      const start = await ec2.ok('StartInstances', listParams('InstanceId', [id]));
      expect(start.instancesSet.item[0]).toMatchObject({
        currentState: { code: '0', name: 'pending' },
        previousState: { code: '80', name: 'stopped' },
      });
      clock.advance(BOOT);
      const restarted = instancesOf(await ec2.ok('DescribeInstances', listParams('InstanceId', [id])))[0];
      expect(restarted.instanceState.name).toBe('running');
      expect(restarted.launchTime).toBe(
        new Date(Date.UTC(2026, 2, 1, 12, 0, 0) + BOOT + HALT + 60_000).toISOString(),
      );

      const terminate = await ec2.ok('TerminateInstances', listParams('InstanceId', [id]));
      expect(terminate.instancesSet.item[0]).toMatchObject({
        currentState: { code: '32', name: 'shutting-down' },
        previousState: { code: '16', name: 'running' },
      });
      clock.advance(HALT);
      const terminated = instancesOf(await ec2.ok('DescribeInstances'))[0];
      expect(terminated).toMatchObject({ instanceId: id, instanceState: { code: '48', name: 'terminated' } });
      expect(terminated.privateIpAddress).toBeUndefined();
      const again = await ec2.ok('TerminateInstances', listParams('InstanceId', [id]));
      expect(again.instancesSet.item[0]).toMatchObject({
        currentState: { code: '48', name: 'terminated' },
        previousState: { code: '48', name: 'terminated' },
      });
      // Visible for an hour after it is gone, then unknown.
      clock.advance(60 * 60_000);
      expect((await ec2.ok('DescribeInstances')).reservationSet).toBe('');
      expect(await ec2.error('TerminateInstances', listParams('InstanceId', [id]))).toMatchObject({
        code: 'InvalidInstanceID.NotFound',
      });
    });

    it('frees quota as soon as an instance shuts down', async () => {
      await ec2.ok('DescribeInstances');
      const full = await run({ MinCount: '30', MaxCount: '30' });
      const ids = full.instancesSet.item.map((i: Xml) => i.instanceId);
      expect(
        await ec2.error('RunInstances', { ImageId: AL2023, MinCount: '1', MaxCount: '1' }),
      ).toMatchObject({
        code: 'InstanceLimitExceeded',
      });
      await ec2.ok('TerminateInstances', listParams('InstanceId', ids.slice(0, 2)));
      expect((await run()).instancesSet.item).toHaveLength(1);
    });
  });

  describe('faults', () => {
    it('throttles with 503 RequestLimitExceeded, without Retry-After', async () => {
      sim.control.rateLimit(3, { match: 'DescribeInstances' });
      const throttled = await ec2.call('DescribeInstances');
      expect(throttled.status).toBe(503);
      expect(throttled.headers.get('retry-after')).toBeNull();
      expect(throttled.xml.Response.Errors.Error.Code).toBe('RequestLimitExceeded');
      expect((await ec2.call('DescribeInstances')).status).toBe(200);
      expect(sim.control.count('DescribeInstances')).toBe(2);
      expect(sim.control.requests[0]).toMatchObject({
        operation: 'DescribeInstances',
        status: 503,
        faults: ['status'],
      });
    });

    it("answers injected statuses with EC2's error codes", async () => {
      sim.control.failWithStatus(503);
      sim.control.failWithStatus(500, { match: 'DescribeImages' });
      expect(await ec2.error('DescribeInstances')).toMatchObject({ status: 503, code: 'Unavailable' });
      expect(await ec2.error('DescribeImages')).toMatchObject({ status: 500, code: 'InternalError' });
      sim.control.failWithStatus(403, { message: 'You are not authorized to perform this operation.' });
      expect(await ec2.error('RunInstances')).toMatchObject({ status: 403, code: 'UnauthorizedOperation' });
    });

    it('loses the answer of a launch that happened; the retry with its ClientToken finds it', async () => {
      sim.control.resetConnection({ afterHandling: true, match: 'RunInstances' });
      const params = { MinCount: '2', MaxCount: '2', ClientToken: 'lost-answer' };
      await expect(run(params)).rejects.toThrow();
      expect(sim.control.cloud.vms(accountId)).toHaveLength(2);
      const retried = await run(params);
      expect(retried.instancesSet.item).toHaveLength(2);
      expect(sim.control.cloud.vms(accountId)).toHaveLength(2);
      expect(sim.control.count('RunInstances')).toBe(2);
    });

    it('truncates a body into XML that does not parse', async () => {
      sim.control.malformBody({ match: 'DescribeAvailabilityZones' });
      const answer = await fetchText(ec2, 'DescribeAvailabilityZones');
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain('</DescribeAvailabilityZonesResponse>');
    });
  });
});

/** Calls without parsing, for bodies that are not XML any more. */
async function fetchText(client: Ec2TestClient, action: string): Promise<{ status: number; text: string }> {
  try {
    const answer = await client.call(action);
    return { status: answer.status, text: answer.text };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}
