/**
 * What a real cloud does to the VM service when things go wrong, against the CloudStack simulator
 * and a cloud that never answers: another account's credentials saved over the first's, a hanging
 * instance beside healthy ones, a launch whose answer is lost, a stop while calls hang.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '@slipstream/cloud-simulators';
import {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  startCloudStack,
} from '@slipstream/cloud-simulators/cloudstack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../boot/boot.js';
import { FROM } from '../http/test-server.js';
import { createServerLogger } from '../logging.js';
import { hashPassword } from '../security/passwords.js';
import { readServerSettings } from '../settings.js';
import { type RunningServer, startServer } from '../start.js';
import { openSqliteStore } from '../store/sqlite.js';

const ADMIN_PASSWORD = 'cloud-faults-admin-password';
const ALICE_PASSWORD = 'cloud-faults-alice-password';
const LAUNCH = {
  image: CLOUDSTACK_CATALOG.images[0]?.id ?? '',
  size: CLOUDSTACK_CATALOG.sizes[0]?.id ?? '',
  zone: CLOUDSTACK_CATALOG.zones[0]?.id ?? '',
};

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions.
  readonly body: any;
}

interface Started {
  readonly home: string;
  readonly running: RunningServer;
  call(method: string, path: string, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

/** A server on a fresh home with `instances` (name → CloudStack endpoint) and alice logged in. */
async function start(instances: Record<string, string>, env: Record<string, string> = {}): Promise<Started> {
  const home = mkdtempSync(join(tmpdir(), 'slipstream-cloud-faults-'));
  const settings = readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SLIPSTREAM_CONNECTORS: Object.keys(instances)
        .map((name) => (name === 'cloudstack' ? name : `${name}:cloudstack`))
        .join(','),
      PORT: '0',
      ...env,
    },
    argv: [],
    cwd: home,
  });
  const running = await startServer({
    settings: {
      ...settings,
      initial: {
        basics: settings.initial.basics,
        instances: Object.fromEntries(
          Object.entries(instances).map(([name, endpoint]) => [name, { endpoint }]),
        ),
      },
    },
    from: FROM,
    env: {},
    logger: createServerLogger({ level: 'silent' }),
  });
  await running.booted.store.createUser({
    name: 'alice',
    role: 'user',
    passwordHash: await hashPassword(ALICE_PASSWORD),
  });
  const alice: Record<string, string> = {};
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: body === undefined ? alice : { ...alice, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (path === '/api/login' && response.ok) {
      alice.cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      alice['x-csrf-token'] = JSON.parse(text).csrfToken;
    }
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  expect((await call('POST', '/api/login', { username: 'alice', password: ALICE_PASSWORD })).status).toBe(
    200,
  );
  return {
    home,
    running,
    call,
    async close() {
      await running.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** An HTTP server that takes requests and never answers them, as a cloud hung behind a proxy does. */
async function startHangingCloud(): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_request, response) => {
    held.push(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CLOUDSTACK_API_PATH}`,
    requests: () => held.length,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('credentials of another account saved over the first', () => {
  let sim: RunningSimulator;
  let started: Started;
  const second = { key: 'second-account-key', secret: 'second-account-secret-value' };

  beforeAll(async () => {
    sim = await startCloudStack({
      bootDelayMs: 10,
      haltDelayMs: 10,
      accounts: [{ key: 'first-account-key', secret: 'first-account-secret-value' }, second],
    });
    started = await start({ cloudstack: `${sim.url}${CLOUDSTACK_API_PATH}` });
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await sim?.close();
  });

  it('keeps the VMs unreachable (counted, not terminated) until the first account is back', async () => {
    const { call, running } = started;
    const aliceId = (await running.booted.store.getUserByName('alice'))?.id ?? '';
    await running.booted.store.setQuotaOverride(aliceId, 'cloudstack', 3);
    const first = await call('PUT', '/api/credentials/cloudstack', sim.credentials);
    expect(first.status).toBe(200);
    const launched = await call('POST', '/api/clouds/cloudstack/vms', { ...LAUNCH, name: 'web', count: 3 });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    const ids = (launched.body.vms as { cloudId: string }[]).map((vm) => vm.cloudId);
    const firstAccount = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';

    const switched = await call('PUT', '/api/credentials/cloudstack', second);
    expect(switched.status).toBe(200);
    expect(switched.body.account).not.toBe(first.body.account);
    expect(switched.body.warnings).toEqual([
      expect.stringContaining(
        `You have 3 VMs on "cloudstack" launched with another cloud account (account ${first.body.account})`,
      ),
    ]);

    const listed = await call('GET', '/api/vms');
    expect(listed.status).toBe(200);
    expect(listed.body.errors).toEqual([]);
    expect(listed.body.vms).toHaveLength(3);
    for (const view of listed.body.vms) {
      expect(view).toMatchObject({ recordState: 'launched', account: first.body.account });
      expect(view.unreachable).toContain(`Save the credentials of account ${first.body.account}`);
      expect(view.vm).toBeUndefined();
    }
    const records = await running.booted.store.listVmRecords({ instance: 'cloudstack' });
    expect(records.map((record) => record.state)).toEqual(['launched', 'launched', 'launched']);

    // Still counted: the quota of 3 is full.
    const more = await call('POST', '/api/clouds/cloudstack/vms', { ...LAUNCH, name: 'more' });
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('QUOTA_EXCEEDED');
    // Not terminated through the wrong account, nor reported terminated.
    const deleted = await call('DELETE', `/api/vms/cloudstack/${ids[0]}`);
    expect(deleted.status).toBe(400);
    expect(deleted.body.error.code).toBe('CREDENTIALS_INVALID');
    expect(deleted.body.error.message).toContain(`account ${first.body.account}`);
    const stopped = await call('POST', `/api/vms/cloudstack/${ids[1]}/stop`);
    expect(stopped.status).toBe(400);
    const alive = sim.control.cloud.vms(firstAccount).filter((vm) => vm.phase === 'running');
    expect(alive).toHaveLength(3);
    expect(sim.control.count('destroyVirtualMachine')).toBe(0);
    expect(sim.control.count('stopVirtualMachine')).toBe(0);

    // The first account's credentials again: seen and managed as before.
    const back = await call('PUT', '/api/credentials/cloudstack', sim.credentials);
    expect(back.body).toMatchObject({ account: first.body.account, warnings: [] });
    const again = await call('GET', '/api/vms');
    expect(again.body.vms.map((view: { vm?: { id: string } }) => view.vm?.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(again.body.vms.every((view: { unreachable?: string }) => view.unreachable === undefined)).toBe(
      true,
    );
    const terminated = await call('DELETE', `/api/vms/cloudstack/${ids[0]}`);
    expect(terminated.status).toBe(200);
    expect(terminated.body.vm.recordState).toBe('terminated');
    expect(sim.control.count('destroyVirtualMachine')).toBe(1);
  }, 60_000);
});

describe('a hanging instance beside healthy ones', () => {
  let sim: RunningSimulator;
  let hanging: Awaited<ReturnType<typeof startHangingCloud>>;
  let started: Started;

  beforeAll(async () => {
    sim = await startCloudStack({ bootDelayMs: 10, haltDelayMs: 10 });
    hanging = await startHangingCloud();
    // A deadline far above what the simulator on loopback takes even on a loaded machine.
    started = await start(
      { cloudstack: `${sim.url}${CLOUDSTACK_API_PATH}`, stuck: hanging.url },
      { SLIPSTREAM_LIST_TIMEOUT_MS: '4000' },
    );
  }, 60_000);
  afterAll(async () => {
    await started?.close();
    await hanging?.close();
    await sim?.close();
  });

  it('answers GET /api/vms with the healthy VMs and a TIMEOUT for the hanging instance', async () => {
    const { call, running } = started;
    expect((await call('PUT', '/api/credentials/cloudstack', sim.credentials)).status).toBe(200);
    expect((await call('PUT', '/api/credentials/stuck', sim.credentials)).status).toBe(200);
    const launched = await call('POST', '/api/clouds/cloudstack/vms', { ...LAUNCH, name: 'healthy' });
    expect(launched.status).toBe(201);
    // A VM the server launched on the instance that hangs now.
    const aliceId = (await running.booted.store.getUserByName('alice'))?.id ?? '';
    const account = launched.body.vms[0].account as string;
    const { record } = await running.booted.store.createVmRecord({
      ownerId: aliceId,
      instance: 'stuck',
      idempotencyKey: 'before-it-hung',
      name: 'stuck-vm',
      request: { name: 'stuck-vm', ...LAUNCH },
      state: 'launched',
      cloudId: 'stuck-vm-id',
    });
    await running.booted.store.updateVmRecord(record.id, {
      account: (await running.booted.store.listVmRecords({ instance: 'cloudstack' }))[0]?.account ?? account,
    });

    const listed = await call('GET', '/api/vms');
    expect(listed.status).toBe(200);
    expect(listed.body.errors).toEqual([
      {
        instance: 'stuck',
        code: 'TIMEOUT',
        message: expect.stringContaining('"stuck" did not answer within 4 s (SLIPSTREAM_LIST_TIMEOUT_MS)'),
      },
    ]);
    const byName = Object.fromEntries(
      (listed.body.vms as { name: string; vm?: { state: string }; recordState: string }[]).map((view) => [
        view.name,
        view,
      ]),
    );
    expect(byName.healthy?.vm?.state).toBeDefined();
    expect(byName['stuck-vm']).toMatchObject({ recordState: 'launched' });
    expect(byName['stuck-vm']?.vm).toBeUndefined();
    expect((await running.booted.store.getVmRecord(record.id))?.state).toBe('launched');

    const page = await call('GET', '/vms');
    expect(page.status).toBe(200);
    expect(page.body).toContain('did not answer within 4 s');
    expect(page.body).toContain('healthy');

    const images = await call('GET', '/api/clouds/stuck/images');
    expect(images.status).toBe(504);
    expect(images.body.error.code).toBe('TIMEOUT');
    expect(hanging.requests()).toBeGreaterThan(0);
  }, 60_000);
});

describe('a launch whose answer is lost', () => {
  let sim: RunningSimulator;
  let started: Started;

  beforeAll(async () => {
    sim = await startCloudStack({ bootDelayMs: 10, haltDelayMs: 10 });
    started = await start(
      { cloudstack: `${sim.url}${CLOUDSTACK_API_PATH}` },
      { SLIPSTREAM_RECONCILE_INTERVAL_MS: '300' },
    );
    expect((await started.call('PUT', '/api/credentials/cloudstack', sim.credentials)).status).toBe(200);
  }, 60_000);
  afterEach(() => {
    sim.control.clearFaults();
  });
  afterAll(async () => {
    await started?.close();
    await sim?.close();
  });

  it('stays launching, counted, after a reset following the deploy, and the reconciler settles it', async () => {
    const { call, running } = started;
    const aliceId = (await running.booted.store.getUserByName('alice'))?.id ?? '';
    await running.booted.store.setQuotaOverride(aliceId, 'cloudstack', 1);
    // The deploy is carried out and its answer lost; every call after it fails the same way, so the
    // connector's own look for the VM fails too.
    let deployed = false;
    sim.control.resetConnection({
      afterHandling: true,
      match: (request) => {
        if (request.operation !== 'deployVirtualMachine') return false;
        deployed = true;
        return true;
      },
    });
    sim.control.resetConnection({ times: Number.POSITIVE_INFINITY, match: () => deployed });
    const lost = await call('POST', '/api/clouds/cloudstack/vms', {
      ...LAUNCH,
      name: 'lost',
      idempotencyKey: 'lost-1',
    });
    expect(lost.status).toBe(503);
    expect(lost.body.error.message).toContain('the server keeps the launch "launching"');
    const account = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
    expect(sim.control.cloud.vms(account)).toHaveLength(1);
    const record = await running.booted.store.findVmRecord(aliceId, 'cloudstack', 'lost-1');
    expect(record?.state).toBe('launching');
    // Counted toward the quota of 1.
    const another = await call('POST', '/api/clouds/cloudstack/vms', { ...LAUNCH, name: 'another' });
    expect(another.status).toBe(409);

    sim.control.clearFaults();
    await expect
      .poll(async () => (await running.booted.store.findVmRecord(aliceId, 'cloudstack', 'lost-1'))?.state, {
        timeout: 30_000,
      })
      .toBe('launched');
    const settled = await running.booted.store.findVmRecord(aliceId, 'cloudstack', 'lost-1');
    expect(settled?.cloudId).toBe(sim.control.cloud.vms(account)[0]?.id);
    expect(sim.control.cloud.vms(account)).toHaveLength(1);
    expect(sim.control.count('deployVirtualMachine')).toBe(1);
    await running.booted.store.setQuotaOverride(aliceId, 'cloudstack', undefined);
  }, 60_000);

  it('returns the VM when the deploy answer comes back garbled', async () => {
    const { call } = started;
    const account = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
    const before = sim.control.cloud.vms(account).length;
    sim.control.malformBody({ match: 'deployVirtualMachine' });
    const launched = await call('POST', '/api/clouds/cloudstack/vms', {
      ...LAUNCH,
      name: 'garbled',
      idempotencyKey: 'garbled-1',
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    expect(launched.body.vms).toHaveLength(1);
    expect(launched.body.vms[0].recordState).toBe('launched');
    expect(sim.control.cloud.vms(account)).toHaveLength(before + 1);
    expect(launched.body.vms[0].cloudId).toBe(sim.control.cloud.vms(account).at(-1)?.id);
  }, 60_000);
});

describe('a stop while a cloud call hangs', () => {
  it('abandons the call after the grace period: the launch stays launching and the server stops', async () => {
    const hanging = await startHangingCloud();
    const started = await start({ stuck: hanging.url });
    try {
      const { call, running } = started;
      // Saved unchecked: the save's own check of the credentials is one of the held requests.
      expect((await call('PUT', '/api/credentials/stuck', { key: 'k', secret: 's' })).body.checked).toBe(
        false,
      );
      const held = hanging.requests();
      const launch = call('POST', '/api/clouds/stuck/vms', {
        ...LAUNCH,
        name: 'held',
        idempotencyKey: 'held-1',
      });
      await expect.poll(() => hanging.requests(), { timeout: 30_000 }).toBeGreaterThan(held);
      // The cloud never answers: only abandoning its call lets the request, and the stop, end.
      const stopped = running.close();
      const answer = await launch;
      expect(answer.status).toBe(503);
      expect(answer.body.error.message).toContain('The server is stopping');
      expect(answer.body.error.message).toContain('the server keeps the launch "launching"');
      await stopped;
      // Left for the next start to settle.
      const store = await openSqliteStore({ file: join(started.home, STORE_FILE) });
      try {
        expect((await store.listVmRecords()).map((record) => [record.idempotencyKey, record.state])).toEqual([
          ['held-1', 'launching'],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await started.close().catch(() => undefined);
      await hanging.close();
    }
  }, 60_000);
});
