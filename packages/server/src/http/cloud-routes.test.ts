import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from '@slipstream/connector-core';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedServer, bootServer } from '../boot/boot.js';
import { credentialAad } from '../credentials/credentials.js';
import { createServerLogger } from '../logging.js';
import { hashPassword } from '../security/passwords.js';
import { readServerSettings } from '../settings.js';
import { reconcile } from '../vms/reconcile.js';
import { connectorKey } from '../vms/records.js';
import { createApp } from './app.js';

const FROM = new URL('../../', import.meta.url);
const ALICE_SECRET = 'Alice-Cloud-Secret-71';
const BOB_SECRET = 'Bob-Cloud-Secret-83';
const WRONG_SECRET = 'Wrong-Cloud-Secret-99';
const ADMIN_PASSWORD = 'admin-Pa55word-vms';
const ACCOUNTS = `alice:${ALICE_SECRET},bob:${BOB_SECRET}`;
const FAST = { accounts: ACCOUNTS, 'boot.delay.ms': 50, 'halt.delay.ms': 50 };

let home: string;
let booted: BootedServer;
let app: FastifyInstance;
const logLines: string[] = [];
const bodies: string[] = [];
type Headers = Record<string, string>;
let alice: Headers;
let bob: Headers;
let admin: Headers;
let aliceId: string;
let bobId: string;

async function send(options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await app.inject(options);
  bodies.push(response.body);
  return response;
}

async function login(username: string, password: string): Promise<Headers> {
  const response = await send({ method: 'POST', url: '/api/login', payload: { username, password } });
  expect(response.statusCode).toBe(200);
  return {
    cookie: String(response.headers['set-cookie']).split(';')[0] ?? '',
    'x-csrf-token': response.json().csrfToken,
  };
}

const launch = (instance: string, payload: object, headers: Headers): Promise<LightMyRequestResponse> =>
  send({ method: 'POST', url: `/api/clouds/${instance}/vms`, headers, payload });
const vmsOf = (headers: Headers, query = ''): Promise<LightMyRequestResponse> =>
  send({ method: 'GET', url: `/api/vms${query}`, headers });
const saveCredentials = async (
  headers: Headers,
  instance: string,
  key: string,
  secret: string,
): Promise<void> => {
  const response = await send({
    method: 'PUT',
    url: `/api/credentials/${instance}`,
    headers,
    payload: { key, secret },
  });
  expect(response.statusCode).toBe(200);
};
/** The VMs the local cloud itself holds for an account (not through the server). */
async function cloudVms(
  instance: string,
  key: string,
  secret: string,
): Promise<readonly { id: string; name: string }[]> {
  const session = await booted.registry.instance(instance).session({ key, secret });
  return (await session.describe()).filter((vm) => vm.state !== 'terminated');
}

/** Waits (polling the cloud directly) until a VM reaches a state; boot and halt delays are 50 ms. */
async function until(
  instance: string,
  key: string,
  secret: string,
  id: string,
  state: string,
): Promise<void> {
  const session = await booted.registry.instance(instance).session({ key, secret });
  for (let attempt = 0; attempt < 200; attempt++) {
    const [vm] = await session.describe({ ids: [id] });
    if (vm?.state === state) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`VM ${id} on ${instance} never became ${state}`);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slipstream-vms-'));
  const config = join(home, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      basics: { connectors: 'local,lab2:local,lab3:local' },
      instances: { local: { ...FAST, 'quota.vm': 3 }, lab2: FAST, lab3: FAST },
    }),
  );
  const settings = readServerSettings({
    env: { SLIPSTREAM_HOME: home, SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD, SLIPSTREAM_CONFIG: config },
    argv: [],
    cwd: home,
  });
  booted = await bootServer({ settings, from: FROM, env: {} });
  await booted.ensureAdministrator();
  expect(booted.problems).toEqual([]);
  const logger = createServerLogger({
    level: 'debug',
    destination: { write: (line: string) => logLines.push(line) },
  });
  app = await createApp({ booted, settings, logger, from: FROM });
  aliceId = (
    await booted.store.createUser({
      name: 'alice',
      role: 'user',
      passwordHash: await hashPassword('alice-pw-1'),
    })
  ).id;
  bobId = (
    await booted.store.createUser({ name: 'bob', role: 'user', passwordHash: await hashPassword('bob-pw-1') })
  ).id;
  alice = await login('alice', 'alice-pw-1');
  bob = await login('bob', 'bob-pw-1');
  admin = await login('admin', ADMIN_PASSWORD);
  await saveCredentials(alice, 'local', 'alice', ALICE_SECRET);
  await saveCredentials(alice, 'lab2', 'alice', ALICE_SECRET);
  await saveCredentials(bob, 'local', 'bob', BOB_SECRET);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await booted?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('catalog', () => {
  it('lists images, sizes and zones through the caller session', async () => {
    for (const kind of ['images', 'sizes', 'zones']) {
      const response = await send({ method: 'GET', url: `/api/clouds/local/${kind}`, headers: alice });
      expect(response.statusCode, kind).toBe(200);
      const items = response.json()[kind];
      expect(items.length).toBeGreaterThan(0);
      expect(items[0]).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
    }
  });

  it('answers 404 for an unknown instance and 400 without saved credentials', async () => {
    const unknown = await send({ method: 'GET', url: '/api/clouds/nowhere/images', headers: alice });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('"nowhere"');
    const none = await send({ method: 'GET', url: '/api/clouds/lab2/images', headers: bob });
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({
      code: 'CREDENTIALS_INVALID',
      message: expect.stringContaining('save your credentials for lab2 first'),
    });
  });
});

describe('launch', () => {
  let imageId: string;
  let sizeId: string;
  beforeAll(async () => {
    imageId = (await send({ method: 'GET', url: '/api/clouds/local/images', headers: alice })).json()
      .images[0].id;
    sizeId = (await send({ method: 'GET', url: '/api/clouds/local/sizes', headers: alice })).json().sizes[0]
      .id;
  }, 60_000);

  it('records the launch before the cloud call and settles it after, generating a key', async () => {
    // The record exists while the cloud call is in progress: look at it from inside the launch.
    const instance = booted.registry.instance('local');
    const original = instance.session.bind(instance);
    const seen: string[] = [];
    (instance as { session: typeof original }).session = async (credentials) => {
      const session = await original(credentials);
      return {
        ...session,
        launch: async (request, options) => {
          // The connector gets the record's key scoped to its owner and instance.
          const records = await booted.store.listVmRecords({ ownerId: aliceId, instance: 'local' });
          const record = records.find((item) => connectorKey(item) === request.idempotencyKey);
          seen.push(record?.state ?? 'none');
          return session.launch(request, options);
        },
      };
    };
    try {
      // New credentials: the cached session is replaced by one from the patched instance.
      await saveCredentials(alice, 'local', 'alice', ALICE_SECRET);
      const response = await launch('local', { name: 'web', image: imageId, size: sizeId }, alice);
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(seen).toEqual(['launching']);
      expect(body.replayed).toBe(false);
      expect(body.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.vms).toHaveLength(1);
      expect(body.vms[0]).toMatchObject({ instance: 'local', owner: 'alice', recordState: 'launched' });
      const record = await booted.store.findVmRecord(aliceId, 'local', body.idempotencyKey);
      expect(record).toMatchObject({ state: 'launched', cloudId: body.vms[0].cloudId });
      expect(record?.request).toMatchObject({ name: 'web', image: imageId, size: sizeId, count: 1 });
    } finally {
      (instance as { session: typeof original }).session = original;
      await saveCredentials(alice, 'local', 'alice', ALICE_SECRET);
    }
  });

  it('returns the same VMs for a retried key, and refuses the key for another launch', async () => {
    const payload = { name: 'db', image: imageId, size: sizeId, count: 2, idempotencyKey: 'retry-key-1' };
    const first = await launch('local', payload, alice);
    expect(first.statusCode).toBe(201);
    const again = await launch('local', payload, alice);
    expect(again.statusCode).toBe(201);
    expect(again.json().replayed).toBe(true);
    const ids = (response: LightMyRequestResponse): string[] =>
      response.json().vms.map((vm: { cloudId: string }) => vm.cloudId);
    expect(ids(again)).toEqual(ids(first));
    expect(ids(first)).toHaveLength(2);
    expect(await cloudVms('local', 'alice', ALICE_SECRET)).toHaveLength(3);
    const records = await booted.store.listVmRecords({ ownerId: aliceId, instance: 'local' });
    expect(records.map((record) => record.idempotencyKey).sort()).toEqual(
      expect.arrayContaining(['retry-key-1', 'retry-key-1#2']),
    );
    const other = await launch('local', { ...payload, name: 'other' }, alice);
    expect(other.statusCode).toBe(400);
    expect(other.json().error.message).toContain('retry-key-1');
  });

  it('enforces quota.vm before any cloud call, and a per-user override wins', async () => {
    const before = (await cloudVms('local', 'alice', ALICE_SECRET)).length;
    const refused = await launch('local', { name: 'x', image: imageId, size: sizeId }, alice);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('QUOTA_EXCEEDED');
    expect(refused.json().error.message).toContain('quota of 3');
    expect(await cloudVms('local', 'alice', ALICE_SECRET)).toHaveLength(before);
    expect((await booted.store.listVmRecords({ ownerId: aliceId, instance: 'local' })).length).toBe(3);

    await booted.store.setQuotaOverride(aliceId, 'local', 4);
    const allowed = await launch('local', { name: 'x', image: imageId, size: sizeId }, alice);
    expect(allowed.statusCode).toBe(201);
    await booted.store.setQuotaOverride(bobId, 'local', 0);
    const bobRefused = await launch('local', { name: 'b', image: imageId, size: sizeId }, bob);
    expect(bobRefused.statusCode).toBe(409);
    expect(await cloudVms('local', 'bob', BOB_SECRET)).toHaveLength(0);
    await booted.store.setQuotaOverride(bobId, 'local', undefined);
  });

  it('refuses bad bodies with clear 400s and records nothing', async () => {
    const count = (await booted.store.listVmRecords()).length;
    for (const payload of [
      { image: imageId, size: sizeId },
      { name: 'x', image: imageId, size: sizeId, count: 0 },
      { name: 'x', image: imageId, size: sizeId, colour: 'red' },
      { name: 'x', image: imageId, size: sizeId, idempotencyKey: 'has space' },
      { name: 'x', image: imageId, size: sizeId, sshPublicKey: 'not a key' },
    ]) {
      const response = await launch('lab2', payload, alice);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
    // Names that would disguise themselves on the pages: control, format (zero-width, LRM/RLM,
    // bidi) characters, separators, and a lone surrogate (which came back as three U+FFFD).
    for (const name of [
      'web\u0000-1',
      'web\n1',
      'invoice-\u202egpj.exe',
      'ad\u200bmin',
      'web\u200e1',
      'web\u200f1',
      '\ufeffweb',
      'web\u2028',
      'web\ud800',
    ]) {
      const response = await launch('lab2', { name, image: imageId, size: sizeId }, alice);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toBe(
        '"name" in the request body contains control, invisible or text-direction characters, or a broken character (lone surrogate); remove them.',
      );
    }
    expect((await booted.store.listVmRecords()).length).toBe(count);
  });
});

describe('ownership and listing', () => {
  let bobVm: string;
  let bobRecord: string;
  let aliceLab2Vm: string;

  beforeAll(async () => {
    const bobLaunch = await launch('local', { name: 'bobs', image: 'debian-12', size: 'small' }, bob);
    expect(bobLaunch.statusCode, bobLaunch.body).toBe(201);
    bobVm = bobLaunch.json().vms[0].cloudId;
    bobRecord = bobLaunch.json().vms[0].recordId;
    const lab2 = await launch('lab2', { name: 'lab', image: 'debian-12', size: 'small' }, alice);
    expect(lab2.statusCode, lab2.body).toBe(201);
    aliceLab2Vm = lab2.json().vms[0].cloudId;
  }, 60_000);

  it('lists only the caller VMs, joined with the cloud state', async () => {
    const mine = (await vmsOf(alice)).json();
    expect(mine.errors).toEqual([]);
    expect(mine.vms.every((vm: { owner: string }) => vm.owner === 'alice')).toBe(true);
    expect(mine.vms.map((vm: { recordId: string }) => vm.recordId)).not.toContain(bobRecord);
    const lab2 = mine.vms.find((vm: { instance: string }) => vm.instance === 'lab2');
    expect(lab2).toMatchObject({ instance: 'lab2', vm: { id: aliceLab2Vm, state: expect.any(String) } });
    const bobs = (await vmsOf(bob)).json();
    expect(bobs.vms.map((vm: { recordId: string }) => vm.recordId)).toEqual([bobRecord]);
    // ?all=true is for administrators; a user still sees only their own.
    expect((await vmsOf(bob, '?all=true')).json().vms).toHaveLength(1);
    // An unknown or mistyped query parameter is named, not ignored.
    const unknown = await vmsOf(admin, '?everyone=true');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('everyone');
    expect((await vmsOf(admin, '?all=yes')).statusCode).toBe(400);
    const everyone = (await vmsOf(admin, '?all=true')).json();
    expect(everyone.vms.map((vm: { owner: string }) => vm.owner)).toEqual(
      expect.arrayContaining(['alice', 'bob']),
    );
  });

  it('answers 404 to a user acting on another user VM, and does nothing', async () => {
    for (const [method, url] of [
      ['DELETE', `/api/vms/local/${bobVm}`],
      ['POST', `/api/vms/local/${bobVm}/stop`],
      ['POST', `/api/vms/local/${bobVm}/start`],
      ['DELETE', '/api/vms/local/never-existed'],
    ] as const) {
      const response = await send({ method, url, headers: alice });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.message).toContain('You have no VM');
    }
    const [record] = await booted.store.listVmRecords({ ownerId: bobId });
    expect(record?.state).toBe('launched');
  });

  it('stops, starts and terminates the caller VM; terminate updates the record', async () => {
    await until('local', 'bob', BOB_SECRET, bobVm, 'running');
    const stop = await send({ method: 'POST', url: `/api/vms/local/${bobVm}/stop`, headers: bob });
    expect(stop.statusCode).toBe(200);
    expect(['stopping', 'stopped']).toContain(stop.json().vm.vm.state);
    await until('local', 'bob', BOB_SECRET, bobVm, 'stopped');
    const start = await send({ method: 'POST', url: `/api/vms/local/${bobVm}/start`, headers: bob });
    expect(start.statusCode, start.body).toBe(200);
    const gone = await send({ method: 'DELETE', url: `/api/vms/local/${bobVm}`, headers: bob });
    expect(gone.statusCode).toBe(200);
    expect(gone.json().vm).toMatchObject({ cloudId: bobVm, recordState: 'terminated' });
    const [record] = await booted.store.listVmRecords({ ownerId: bobId });
    expect(record?.state).toBe('terminated');
    expect((await vmsOf(bob)).json().vms).toEqual([]);
    // Terminating again succeeds.
    expect((await send({ method: 'DELETE', url: `/api/vms/local/${bobVm}`, headers: bob })).statusCode).toBe(
      200,
    );
  });

  it('lets an administrator act on any user VM', async () => {
    await until('lab2', 'alice', ALICE_SECRET, aliceLab2Vm, 'running');
    const response = await send({ method: 'POST', url: `/api/vms/lab2/${aliceLab2Vm}/stop`, headers: admin });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().vm.owner).toBe('alice');
  });

  it('returns the other instances plus an error entry when one instance fails', async () => {
    // Credentials the cloud stopped accepting after they were saved (a save refuses them): written
    // to the store as a save would, sealed where the session opens them.
    await booted.store.putCredentials(aliceId, 'lab2', {
      key: { kind: 'plain', value: 'alice' },
      secret: {
        kind: 'secret',
        blob: booted.box.seal(WRONG_SECRET, credentialAad(aliceId, 'lab2', 'secret')),
      },
    });
    try {
      const response = await vmsOf(alice);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.errors).toEqual([{ instance: 'lab2', code: 'AUTH_FAILED', message: expect.any(String) }]);
      expect(body.vms.filter((vm: { instance: string }) => vm.instance === 'local').length).toBeGreaterThan(
        0,
      );
      const lab2 = body.vms.find((vm: { instance: string }) => vm.instance === 'lab2');
      expect(lab2).toMatchObject({ cloudId: aliceLab2Vm, recordState: 'launched' });
      expect(lab2).not.toHaveProperty('vm');
    } finally {
      await saveCredentials(alice, 'lab2', 'alice', ALICE_SECRET);
    }
  });
});

describe('quota on a retried launch', () => {
  it('counts a failed launch retried with its key as new VMs', async () => {
    await booted.store.setQuotaOverride(bobId, 'local', 2);
    const instance = booted.registry.instance('local');
    const original = instance.session.bind(instance);
    let failures = 1;
    (instance as { session: typeof original }).session = async (credentials) => {
      const session = await original(credentials);
      return {
        ...session,
        launch: async (request, options) => {
          // A refusal the cloud definitely made: the launch holds no VM.
          if (failures-- > 0)
            throw new ConnectorError('CLOUD_ERROR', 'The cloud refused it.', { status: 400 });
          return session.launch(request, options);
        },
      };
    };
    const flaky = { name: 'flaky', image: 'debian-12', size: 'small', count: 2, idempotencyKey: 'flaky-1' };
    try {
      await saveCredentials(bob, 'local', 'bob', BOB_SECRET);
      const failed = await launch('local', flaky, bob);
      expect(failed.statusCode).toBe(502);
    } finally {
      (instance as { session: typeof original }).session = original;
      await saveCredentials(bob, 'local', 'bob', BOB_SECRET);
    }
    const others = await launch('local', { ...flaky, name: 'others', idempotencyKey: 'others-1' }, bob);
    expect(others.statusCode, others.body).toBe(201);
    // The failed launch holds no VM, so its retry would be two more: past the quota of 2.
    const retry = await launch('local', flaky, bob);
    expect(retry.statusCode, retry.body).toBe(409);
    expect(retry.json().error.code).toBe('QUOTA_EXCEEDED');
    const names = (await cloudVms('local', 'bob', BOB_SECRET)).map((vm) => vm.name);
    expect(names.filter((name) => name.startsWith('flaky'))).toEqual([]);
    expect((await booted.store.findVmRecord(bobId, 'local', 'flaky-1'))?.state).toBe('failed');
    for (const vm of others.json().vms as { cloudId: string }[]) {
      const gone = await send({ method: 'DELETE', url: `/api/vms/local/${vm.cloudId}`, headers: bob });
      expect(gone.statusCode).toBe(200);
    }
    await booted.store.setQuotaOverride(bobId, 'local', undefined);
  });
});

describe('users sharing a cloud account', () => {
  it('get their own VMs for the same idempotency key, and cannot act on each other VM', async () => {
    // Bob saves Alice's lab2 account as his own credentials: the cloud cannot tell them apart.
    await saveCredentials(bob, 'lab2', 'alice', ALICE_SECRET);
    const payload = { name: 'shared', image: 'debian-12', size: 'small', idempotencyKey: 'build-1' };
    const first = await launch('lab2', payload, alice);
    expect(first.statusCode, first.body).toBe(201);
    const alicesVm = first.json().vms[0].cloudId;
    const second = await launch('lab2', payload, bob);
    expect(second.statusCode, second.body).toBe(201);
    const bobsVm = second.json().vms[0].cloudId;
    expect(bobsVm).not.toBe(alicesVm);
    // Each one's retry still returns their own VM.
    expect((await launch('lab2', payload, alice)).json().vms[0].cloudId).toBe(alicesVm);
    expect((await launch('lab2', payload, bob)).json().vms[0].cloudId).toBe(bobsVm);
    const refused = await send({ method: 'DELETE', url: `/api/vms/lab2/${alicesVm}`, headers: bob });
    expect(refused.statusCode).toBe(404);
    for (const [headers, id] of [
      [bob, bobsVm],
      [alice, alicesVm],
    ] as const) {
      const gone = await send({ method: 'DELETE', url: `/api/vms/lab2/${id}`, headers });
      expect(gone.statusCode, gone.body).toBe(200);
    }
  });
});

describe('reconcile', () => {
  it('settles a launch the cloud made before the server died, without a second VM', async () => {
    const key = 'killed-after-cloud-call';
    const request = { name: 'half', image: 'debian-12', size: 'small', count: 1 };
    const session = await booted.registry.instance('lab3').session({ key: 'bob', secret: BOB_SECRET });
    // The key the server itself would have sent for this record.
    const [made] = await session.launch({
      ...request,
      idempotencyKey: connectorKey({ ownerId: bobId, instance: 'lab3', idempotencyKey: key }),
    });
    await saveCredentials(bob, 'lab3', 'bob', BOB_SECRET);
    const { record } = await booted.store.createVmRecord({
      ownerId: bobId,
      instance: 'lab3',
      idempotencyKey: key,
      name: 'half',
      request,
    });
    expect(record.state).toBe('launching');
    const report = await reconcile(booted);
    expect(report.resolved).toContain(record.id);
    expect(await booted.store.getVmRecord(record.id)).toMatchObject({ state: 'launched', cloudId: made?.id });
    expect(await cloudVms('lab3', 'bob', BOB_SECRET)).toHaveLength(1);
  });

  it('launches a recorded launch the cloud never got, exactly once', async () => {
    const { record } = await booted.store.createVmRecord({
      ownerId: bobId,
      instance: 'lab3',
      idempotencyKey: 'killed-before-cloud-call',
      name: 'never',
      request: { name: 'never', image: 'debian-12', size: 'small', count: 1 },
    });
    await reconcile(booted);
    await reconcile(booted);
    const settled = await booted.store.getVmRecord(record.id);
    expect(settled?.state).toBe('launched');
    expect(await cloudVms('lab3', 'bob', BOB_SECRET)).toHaveLength(2);
  });

  it('leaves a launch whose lease another replica holds to that replica, and takes it over once the lease expires', async () => {
    const key = 'running-elsewhere';
    const request = { name: 'elsewhere', image: 'debian-12', size: 'small', count: 1 };
    await saveCredentials(bob, 'lab3', 'bob', BOB_SECRET);
    const before = (await cloudVms('lab3', 'bob', BOB_SECRET)).length;
    const { record } = await booted.store.createVmRecord({
      ownerId: bobId,
      instance: 'lab3',
      idempotencyKey: key,
      name: 'elsewhere',
      request,
      lease: { owner: 'another-replica', ms: 60_000 },
    });
    // Retried here while the other replica runs it: answered from the record, the cloud not asked.
    const retried = await launch('lab3', { ...request, idempotencyKey: key }, bob);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.json().replayed).toBe(true);
    expect(retried.json().vms.map((vm: { recordState: string }) => vm.recordState)).toEqual(['launching']);
    expect(await reconcile(booted)).toEqual({ resolved: [], failed: [], pending: [] });
    expect(await cloudVms('lab3', 'bob', BOB_SECRET)).toHaveLength(before);
    // That replica died: its lease runs out, and the sweep here finishes the launch with its key.
    await booted.store.updateVmRecord(record.id, { lease: { owner: 'another-replica', ms: 0 } });
    expect((await reconcile(booted)).resolved).toEqual([record.id]);
    expect(await booted.store.getVmRecord(record.id)).toMatchObject({ state: 'launched' });
    expect(await cloudVms('lab3', 'bob', BOB_SECRET)).toHaveLength(before + 1);
  });

  it('marks a launch failed when its owner has no credentials', async () => {
    const { record } = await booted.store.createVmRecord({
      ownerId: aliceId,
      instance: 'lab3',
      idempotencyKey: 'no-credentials',
      name: 'orphan',
      request: { name: 'orphan', image: 'debian-12', size: 'small', count: 1 },
    });
    const report = await reconcile(booted);
    expect(report.failed).toEqual([record.id]);
    expect((await booted.store.getVmRecord(record.id))?.error?.code).toBe('CREDENTIALS_INVALID');
  });
});

describe('secrets', () => {
  it('never appear in responses or logs', () => {
    const logs = logLines.join('');
    expect(logs).toContain('launch');
    for (const secret of [ALICE_SECRET, BOB_SECRET, WRONG_SECRET, ADMIN_PASSWORD]) {
      for (const body of bodies) expect(body).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
