import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import { SimCloud } from '../model/cloud.js';
import type { SimRequest } from '../server/frontend.js';
import { EXOSCALE_CATALOG, EXOSCALE_INSTANCE_TYPES, EXOSCALE_TEMPLATES } from './catalog.js';
import { ExoscaleFrontEnd } from './frontend.js';
import { type SignOptions, signRequest, simRequest } from './test-client.js';

const BASE = 'http://127.0.0.1:8080';
const ALICE = { key: 'EXOalice0123456789abcdef', secret: 'alice-secret-0123456789' };
const BOB = { key: 'EXObob0123456789abcdef', secret: 'bob-secret-0123456789' };
const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

const [ubuntu, , , , privateTemplate] = EXOSCALE_TEMPLATES as [
  (typeof EXOSCALE_TEMPLATES)[0],
  unknown,
  unknown,
  unknown,
  (typeof EXOSCALE_TEMPLATES)[0],
];
const [micro] = EXOSCALE_INSTANCE_TYPES as [(typeof EXOSCALE_INSTANCE_TYPES)[0]];

describe('ExoscaleFrontEnd', () => {
  let clock: ManualClock;
  let cloud: SimCloud;
  let frontEnd: ExoscaleFrontEnd;

  beforeEach(() => {
    clock = new ManualClock();
    cloud = new SimCloud({
      ...EXOSCALE_CATALOG,
      accounts: [{ ...ALICE, vmLimit: 2 }, BOB],
      bootDelayMs: 1000,
      haltDelayMs: 500,
      clock,
    });
    frontEnd = new ExoscaleFrontEnd(cloud);
  });

  const send = (path: string, options: SignOptions = {}, credentials = ALICE, headers = {}) => {
    const request = simRequest(
      signRequest(BASE, path, credentials, { now: clock.now(), ...options }),
      headers,
    );
    const response = frontEnd.handle(request) as { status: number; body: string };
    return {
      status: response.status,
      body: JSON.parse(response.body),
      operation: frontEnd.operationOf(request),
    };
  };
  const createBody = (extra: Record<string, unknown> = {}) => ({
    name: 'web-1',
    'instance-type': { id: micro.id },
    template: { id: ubuntu.id },
    'disk-size': 10,
    ...extra,
  });
  const create = (extra: Record<string, unknown> = {}, path = '/v2/instance') =>
    send(path, { method: 'POST', body: createBody(extra) });

  describe('authentication', () => {
    it('accepts a request signed like egoscale signs it, query arguments included', () => {
      const answer = send('/v2/template', { query: { visibility: 'public', family: 'ubuntu' } });
      expect(answer.status).toBe(200);
      expect(answer.operation).toBe('list-templates');
      expect(answer.body.templates.map((t: { name: string }) => t.name)).toEqual([
        'Linux Ubuntu 24.04 LTS 64-bit',
        'Linux Ubuntu 22.04 LTS 64-bit',
      ]);
    });

    it('refuses a wrong secret and an unknown key alike: 403 "Invalid request signature"', () => {
      for (const credentials of [
        { ...ALICE, secret: 'wrong-secret' },
        { key: 'EXOnobody', secret: 'x' },
      ]) {
        const answer = send('/v2/instance', {}, credentials);
        expect(answer).toMatchObject({ status: 403, body: { message: 'Invalid request signature' } });
      }
    });

    it('refuses a query value changed after signing', () => {
      const signed = signRequest(BASE, '/v2/template', ALICE, {
        query: { visibility: 'public' },
        now: clock.now(),
      });
      signed.url.searchParams.set('visibility', 'private');
      const response = frontEnd.handle(simRequest(signed)) as { status: number };
      expect(response.status).toBe(403);
    });

    it('refuses a body changed after signing', () => {
      const signed = signRequest(BASE, '/v2/instance', ALICE, {
        method: 'POST',
        body: createBody(),
        now: clock.now(),
      });
      const tampered = { ...simRequest(signed), body: JSON.stringify(createBody({ 'disk-size': 50 })) };
      expect((frontEnd.handle(tampered) as { status: number }).status).toBe(403);
      expect(cloud.vms(cloud.accountByKey(ALICE.key)?.id ?? '')).toEqual([]);
    });

    it('accepts the path signed as sent or decoded, and refuses a signature made for another path', () => {
      const id = create().body.reference.id;
      clock.advance(1000);
      const stop = send(`/v2/instance/${id}%3Astop`, { method: 'PUT', pathForm: 'as-sent' });
      expect(stop).toMatchObject({ status: 200, operation: 'stop-instance' });
      clock.advance(500);
      const start = send(`/v2/instance/${id}%3Astart`, { method: 'PUT', body: {}, pathForm: 'decoded' });
      expect(start).toMatchObject({ status: 200, operation: 'start-instance' });
      const signed = signRequest(BASE, '/v2/ssh-key', ALICE, { now: clock.now() });
      const moved = { ...simRequest(signed), url: new URL(`${BASE}/v2/instance`) };
      expect((frontEnd.handle(moved) as { status: number }).status).toBe(403);
    });

    it('answers 401 when no credentials are presented, and explains a malformed header', () => {
      const request: SimRequest = {
        method: 'GET',
        url: new URL(`${BASE}/v2/instance`),
        headers: {},
        body: '',
      };
      const response = frontEnd.handle(request) as { status: number; body: string };
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toEqual({ message: 'Missing Authorization header' });
      const malformed = { ...request, headers: { authorization: 'EXO2-HMAC-SHA256 credential=EXOalice' } };
      expect((frontEnd.handle(malformed) as { status: number }).status).toBe(401);
    });

    it('refuses an expired request: the expiry is signed, so it cannot be extended', () => {
      const expires = Math.floor(clock.now() / 1000) + 60;
      expect(send('/v2/ssh-key', { expires }).status).toBe(200);
      clock.advance(61_000);
      const answer = send('/v2/ssh-key', { expires });
      expect(answer).toMatchObject({ status: 403, body: { message: expect.stringMatching(/expired/i) } });
    });

    it('refuses expired and revoked API keys, and accepts them again once restored', () => {
      cloud.setAccountStatus(ALICE.key, 'expired');
      expect(send('/v2/instance')).toMatchObject({ status: 403, body: { message: 'API key expired' } });
      cloud.setAccountStatus(ALICE.key, 'revoked');
      expect(send('/v2/instance')).toMatchObject({ status: 403, body: { message: 'API key revoked' } });
      cloud.setAccountStatus(ALICE.key, 'active');
      expect(send('/v2/instance').status).toBe(200);
    });

    it('lists zones without credentials, and still checks credentials that are presented', () => {
      const anonymous: SimRequest = { method: 'GET', url: new URL(`${BASE}/v2/zone`), headers: {}, body: '' };
      const response = frontEnd.handle(anonymous) as { status: number; body: string };
      const zones = JSON.parse(response.body).zones;
      expect(zones).toHaveLength(8);
      expect(zones[0]).toEqual({
        name: 'ch-gva-2',
        'api-endpoint': 'http://127.0.0.1:8080/ch-gva-2/v2',
        'sos-endpoint': 'https://sos-ch-gva-2.exo.io',
      });
      expect(send('/v2/zone', {}, { ...ALICE, secret: 'nope' }).status).toBe(403);
    });
  });

  describe('instances and operations', () => {
    it('creates an instance through an operation that succeeds once it has booted', () => {
      const created = create({ labels: { role: 'web' } });
      expect(created.status).toBe(200);
      expect(created.operation).toBe('create-instance');
      expect(created.body).toMatchObject({ state: 'pending', reference: { command: 'get-instance' } });
      const id = created.body.reference.id;
      expect(created.body.reference.link).toBe(`/v2/instance/${id}`);

      const starting = send(`/v2/instance/${id}`);
      expect(starting.body).toMatchObject({
        id,
        name: 'web-1',
        state: 'starting',
        'instance-type': { id: micro.id },
        template: { id: ubuntu.id },
        'disk-size': 10,
        labels: { role: 'web' },
        'public-ip': expect.stringMatching(/^198\.1[89]\./),
      });
      expect(starting.body['created-at']).toBe('2026-01-01T00:00:00Z');
      expect(starting.body['security-groups']).toHaveLength(1);

      expect(send(`/v2/operation/${created.body.id}`).body.state).toBe('pending');
      clock.advance(1000);
      expect(send(`/v2/operation/${created.body.id}`).body).toEqual({
        id: created.body.id,
        state: 'success',
        reference: created.body.reference,
      });
      expect(send(`/v2/instance/${id}`).body.state).toBe('running');
    });

    it('stops, starts and deletes; a deleted instance is destroying, then 404', () => {
      const id = create().body.reference.id;
      clock.advance(1000);
      const stop = send(`/v2/instance/${id}:stop`, { method: 'PUT' });
      expect(stop.operation).toBe('stop-instance');
      expect(send(`/v2/instance/${id}`).body.state).toBe('stopping');
      clock.advance(500);
      expect(send(`/v2/operation/${stop.body.id}`).body.state).toBe('success');
      expect(send(`/v2/instance/${id}`).body.state).toBe('stopped');

      const start = send(`/v2/instance/${id}:start`, { method: 'PUT', body: {} });
      expect(start.operation).toBe('start-instance');
      expect(send(`/v2/instance/${id}`).body.state).toBe('starting');
      clock.advance(1000);
      expect(send(`/v2/instance/${id}`).body.state).toBe('running');

      const deleted = send(`/v2/instance/${id}`, { method: 'DELETE' });
      expect(deleted).toMatchObject({
        status: 200,
        operation: 'delete-instance',
        body: { state: 'pending' },
      });
      expect(send(`/v2/instance/${id}`).body.state).toBe('destroying');
      clock.advance(500);
      expect(send(`/v2/operation/${deleted.body.id}`).body.state).toBe('success');
      expect(send(`/v2/instance/${id}`)).toMatchObject({
        status: 404,
        body: { message: 'Instance not found' },
      });
      expect(send('/v2/instance').body.instances).toEqual([]);
    });

    it('answers 409 when the instance is not in a state the action needs', () => {
      const id = create().body.reference.id;
      clock.advance(1000);
      expect(send(`/v2/instance/${id}:start`, { method: 'PUT', body: {} }).status).toBe(409);
      expect(
        send(`/v2/instance/${id}:start`, { method: 'PUT', body: { 'rescue-profile': 'x' } }).status,
      ).toBe(400);
    });

    it('reports a failed operation with a reason and a message, leaving the instance in error', () => {
      cloud.failNextOperations(1, 'Host capacity exhausted');
      const created = create();
      clock.advance(1000);
      expect(send(`/v2/operation/${created.body.id}`).body).toMatchObject({
        state: 'failure',
        reason: 'unknown',
        message: 'Host capacity exhausted',
      });
      expect(send(`/v2/instance/${created.body.reference.id}`).body.state).toBe('error');
    });

    it('scopes instances to the zone addressed, by path prefix or by the API host name', () => {
      const inFrankfurt = create({}, '/de-fra-1/v2/instance').body.reference.id;
      expect(send(`/de-fra-1/v2/instance/${inFrankfurt}`).status).toBe(200);
      expect(send(`/v2/instance/${inFrankfurt}`).status).toBe(404);
      expect(send('/v2/instance').body.instances).toEqual([]);
      const viaHost = send('/v2/instance', {}, ALICE, { host: 'api-de-fra-1.exoscale.com' });
      expect(viaHost.body.instances.map((i: { id: string }) => i.id)).toEqual([inFrankfurt]);
      expect(send('/xx-nowhere-9/v2/instance')).toMatchObject({
        status: 404,
        body: { message: expect.stringMatching(/zone/) },
      });
    });

    it('keeps accounts apart: another account sees 404 for an instance it does not own', () => {
      const id = create().body.reference.id;
      expect(send(`/v2/instance/${id}`, {}, BOB).status).toBe(404);
      expect(send('/v2/instance', {}, BOB).body.instances).toEqual([]);
    });

    it('filters the instance list by labels and by IP address', () => {
      const web = create({ name: 'web', labels: { role: 'web', tier: 'front' } }).body.reference.id;
      create({ name: 'db', labels: { role: 'db' } });
      const ids = (query: Record<string, string>) =>
        send('/v2/instance', { query }).body.instances.map((i: { id: string }) => i.id);
      expect(ids({ labels: 'role=web' })).toEqual([web]);
      expect(ids({ labels: 'role=web tier=front' })).toEqual([web]);
      expect(ids({ labels: 'role=web tier=back' })).toEqual([]);
      const ip = send(`/v2/instance/${web}`).body['public-ip'];
      expect(ids({ 'ip-address': ip })).toEqual([web]);
      expect(ids({ 'manager-type': 'instance-pool' })).toEqual([]);
      expect(send('/v2/instance', { query: { 'manager-type': 'sks' } }).status).toBe(400);
    });

    it('refuses a create beyond the quota with 403 naming the quota', () => {
      expect(create().status).toBe(200);
      expect(create().status).toBe(200);
      const third = create();
      expect(third.status).toBe(403);
      expect(third.body.message).toMatch(/quota/i);
    });
  });

  describe('validation and not-found answers', () => {
    it('lists every problem of a create body, naming each field', () => {
      const answer = send('/v2/instance', {
        method: 'POST',
        body: { name: '', template: 'ubuntu', 'disk-size': 5, 'user-data': 'not base64!' },
      });
      expect(answer.status).toBe(400);
      for (const field of ['name', 'instance-type', 'template', 'disk-size', 'user-data']) {
        expect(answer.body.message).toContain(`${field}:`);
      }
    });

    it('refuses malformed JSON and a disk smaller than the template', () => {
      expect(send('/v2/instance', { method: 'POST', body: '{"name":' })).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/JSON/) },
      });
      const small = create({ template: { id: privateTemplate.id }, 'disk-size': 10 });
      expect(small).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/at least 20 GiB/) },
      });
      expect(create({ template: { id: privateTemplate.id }, 'disk-size': 20 }).status).toBe(200);
    });

    it('answers 404 for references that do not exist', () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      expect(create({ template: { id: missing } }).status).toBe(404);
      expect(create({ 'instance-type': { id: missing } }).status).toBe(404);
      expect(create({ 'ssh-key': { name: 'nope' } }).status).toBe(404);
      expect(create({ 'security-groups': [{ id: missing }] }).status).toBe(404);
      // The private template exists only in ch-gva-2 and de-fra-1.
      expect(
        create({ template: { id: privateTemplate.id }, 'disk-size': 20 }, '/at-vie-1/v2/instance').status,
      ).toBe(404);
      expect(send(`/v2/instance/${missing}`).status).toBe(404);
      expect(send(`/v2/operation/${missing}`)).toMatchObject({
        status: 404,
        body: { message: 'Operation not found' },
      });
      expect(send(`/v2/instance-type/${missing}`).status).toBe(404);
    });

    it('answers 400 for ids that are not UUIDs, 404 for unknown paths, 405 for the wrong method', () => {
      expect(send('/v2/instance/not-a-uuid').status).toBe(400);
      expect(send('/v2/nothing-here')).toMatchObject({ status: 404, operation: 'unknown' });
      expect(send('/v2/zone', { method: 'DELETE' }).status).toBe(405);
      expect(send('/elsewhere').status).toBe(404);
    });
  });

  describe('catalog', () => {
    it('renders templates and instance types in Exoscale units', () => {
      const template = send(`/v2/template/${ubuntu.id}`).body;
      expect(template).toMatchObject({
        id: ubuntu.id,
        name: 'Linux Ubuntu 24.04 LTS 64-bit',
        family: 'ubuntu',
        size: 10 * 1024 ** 3,
        'default-user': 'ubuntu',
        visibility: 'public',
        'boot-mode': 'legacy',
      });
      const types = send('/v2/instance-type').body['instance-types'];
      expect(types[0]).toEqual({
        id: micro.id,
        size: 'micro',
        family: 'standard',
        cpus: 1,
        memory: 512 * 1024 ** 2,
        authorized: true,
        zones: EXOSCALE_CATALOG.zones.map((z) => z.id),
      });
    });

    it('lists private templates apart, and only in the zones they exist in', () => {
      const names = (path: string) =>
        send(path, { query: { visibility: 'private' } }).body.templates.map((t: { name: string }) => t.name);
      expect(names('/v2/template')).toEqual(['slipstream-base-2026']);
      expect(names('/at-vie-1/v2/template')).toEqual([]);
      expect(send('/v2/template', { query: { visibility: 'everyone' } }).status).toBe(400);
    });
  });

  describe('SSH keys and security groups', () => {
    it('registers, reads, lists and deletes SSH keys through completed operations', () => {
      const registered = send('/v2/ssh-key', {
        method: 'POST',
        body: { name: 'alice', 'public-key': PUBLIC_KEY },
      });
      expect(registered.body).toMatchObject({
        state: 'success',
        reference: { link: '/v2/ssh-key/alice', command: 'get-ssh-key' },
      });
      expect(send('/v2/ssh-key/alice').body).toEqual({
        name: 'alice',
        fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/),
      });
      expect(
        send('/v2/ssh-key', { method: 'POST', body: { name: 'alice', 'public-key': PUBLIC_KEY } }).status,
      ).toBe(409);
      expect(
        send('/v2/ssh-key', { method: 'POST', body: { name: '-bad', 'public-key': PUBLIC_KEY } }).status,
      ).toBe(400);
      // A completed operation never takes an injected failure: that one is for the next create.
      cloud.failNextOperations(1);
      expect(
        send('/v2/ssh-key', { method: 'POST', body: { name: 'other', 'public-key': PUBLIC_KEY } }).body.state,
      ).toBe('success');
      const id = create({ 'ssh-key': { name: 'alice' } }).body.reference.id;
      clock.advance(1000);
      expect(send(`/v2/instance/${id}`).body.state).toBe('error');
      expect(send(`/v2/instance/${id}`).body['ssh-key']).toEqual({ name: 'alice' });
      expect(send('/v2/ssh-key/alice', { method: 'DELETE' }).body.state).toBe('success');
      expect(send('/v2/ssh-key').body['ssh-keys'].map((k: { name: string }) => k.name)).toEqual(['other']);
    });

    it('gives every account a default security group, where instances without groups land', () => {
      const groups = send('/v2/security-group').body['security-groups'];
      expect(groups).toEqual([
        { id: expect.any(String), name: 'default', description: 'Default Security Group' },
      ]);
      const id = create().body.reference.id;
      expect(send(`/v2/instance/${id}`).body['security-groups']).toEqual([{ id: groups[0].id }]);
      const web = frontEnd.securityGroups.add(cloud.accountByKey(ALICE.key)?.id ?? '', 'web');
      const withWeb = create({ 'security-groups': [{ id: web.id }] }).body.reference.id;
      expect(send(`/v2/instance/${withWeb}`).body['security-groups']).toEqual([{ id: web.id }]);
    });
  });
});
