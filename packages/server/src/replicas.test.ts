/**
 * Two replicas of the built server (`dist/cli.js`, as an operator runs it) on one real PostgreSQL:
 * what one replica does, the other sees (users, sessions, the configuration's "restart required",
 * login lockouts, quotas); a replica killed in the middle of launches has them finished by the
 * other, with no VM lost or made twice; and a replica whose database goes away answers 503 until
 * it is back, then carries on with the same sessions.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '@slipstream/cloud-simulators';
import {
  CLOUDSTACK_API_PATH,
  CLOUDSTACK_CATALOG,
  startCloudStack,
} from '@slipstream/cloud-simulators/cloudstack';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseLocation } from './store/postgres.js';
import { freshDatabase, usePostgres } from './testing/postgres.js';
import { type ServerProcess, spawnServer } from './testing/server-process.js';

const postgres = usePostgres();

const ADMIN_PASSWORD = 'Replicas-Admin-Pa55word';
const ALICE_PASSWORD = 'Replicas-Alice-Pa55word';
const LAUNCH = {
  image: CLOUDSTACK_CATALOG.images[0]?.id ?? '',
  size: CLOUDSTACK_CATALOG.sizes[0]?.id ?? '',
  zone: CLOUDSTACK_CATALOG.zones[0]?.id ?? '',
};
const TEST_TIMEOUT = 180_000;

const homes: string[] = [];
const running: ServerProcess[] = [];
const simulators: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});
afterAll(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

type Headers = Record<string, string>;

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the assertions.
  readonly body: any;
}

interface VmView {
  readonly name: string;
  readonly idempotencyKey: string;
  readonly recordState: string;
}

async function send(url: string, method: string, path: string, headers: Headers, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    response,
    answer: { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text },
  };
}

async function call(
  url: string,
  method: string,
  path: string,
  headers: Headers,
  body?: unknown,
): Promise<Answer> {
  return (await send(url, method, path, headers, body)).answer;
}

/** POST /api/login: the answer, and the session's headers (cookie and CSRF token) when it succeeded. */
async function tryLogin(url: string, name: string, password: string): Promise<Answer & { headers: Headers }> {
  const { response, answer } = await send(url, 'POST', '/api/login', {}, { name, password });
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const headers: Headers =
    answer.status === 200 ? { cookie, 'x-csrf-token': String(answer.body.csrfToken) } : {};
  return { ...answer, headers };
}

async function login(url: string, name: string, password: string): Promise<Headers> {
  const answer = await tryLogin(url, name, password);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.headers;
}

interface Replicas {
  readonly databaseUrl: string;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  readonly urlA: string;
  readonly urlB: string;
  /** Another process on the same database: a replica started later, or a killed one restarted. */
  another(): ServerProcess;
}

/**
 * A fresh database and two server processes on it, each with a home of its own, sharing the
 * database URL and the secret key. `together` starts both at once (their migrations and first start
 * meet on the database's advisory lock); otherwise B starts once A is listening.
 */
async function startReplicas(
  options: { together?: boolean; env?: Record<string, string>; config?: unknown } = {},
): Promise<Replicas> {
  const databaseUrl = await freshDatabase(postgres(), 'replicas');
  const env: Record<string, string> = {
    SLIPSTREAM_DATABASE_URL: databaseUrl,
    SLIPSTREAM_SECRET_KEY: randomBytes(32).toString('hex'),
    SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...options.env,
  };
  const replica = (): ServerProcess => {
    const home = mkdtempSync(join(tmpdir(), 'slipstream-replica-'));
    homes.push(home);
    const own: Record<string, string> = { ...env, SLIPSTREAM_HOME: home };
    if (options.config !== undefined) {
      const file = join(home, 'first-start.json');
      writeFileSync(file, JSON.stringify(options.config));
      own.SLIPSTREAM_CONFIG = file;
    }
    const server = spawnServer({ env: own });
    running.push(server);
    return server;
  };
  const a = replica();
  if (options.together) {
    const b = replica();
    const [urlA, urlB] = await Promise.all([a.ready, b.ready]);
    return { databaseUrl, a, b, urlA, urlB, another: replica };
  }
  const urlA = await a.ready;
  const b = replica();
  return { databaseUrl, a, b, urlA, urlB: await b.ready, another: replica };
}

/** A CloudStack simulator for one test, closed after it. */
async function simulator(): Promise<RunningSimulator> {
  const sim = await startCloudStack({ bootDelayMs: 50, haltDelayMs: 50 });
  simulators.push(sim);
  return sim;
}

function cloudstackConfig(sim: RunningSimulator, parameters: Record<string, unknown> = {}) {
  return { instances: { cloudstack: { endpoint: `${sim.url}${CLOUDSTACK_API_PATH}`, ...parameters } } };
}

/** The admin creates alice (on `url`), who logs in and saves the simulator's credentials. */
async function aliceWithCredentials(url: string, sim: RunningSimulator): Promise<Headers> {
  const admin = await login(url, 'admin', ADMIN_PASSWORD);
  const created = await call(url, 'POST', '/api/users', admin, {
    name: 'alice',
    role: 'user',
    password: ALICE_PASSWORD,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const alice = await login(url, 'alice', ALICE_PASSWORD);
  const saved = await call(url, 'PUT', '/api/credentials/cloudstack', alice, sim.credentials);
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return alice;
}

async function listVms(url: string, headers: Headers): Promise<VmView[]> {
  const listed = await call(url, 'GET', '/api/vms', headers);
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.vms as VmView[];
}

function simVms(sim: RunningSimulator) {
  const accountId = sim.control.cloud.accountByKey(sim.credentials.key)?.id ?? '';
  return sim.control.cloud.vms(accountId);
}

/** Counts of each value, sorted by value: [value, count] pairs. */
function tally(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort(([x], [y]) => x.localeCompare(y));
}

describe('two server processes on one PostgreSQL database', () => {
  it(
    'share users, sessions, "restart required" after a configuration saved on one, and login lockouts',
    async () => {
      // Started together: the migrations and the first start (configuration, administrator) run once.
      const { urlA, urlB } = await startReplicas({ together: true });
      for (const url of [urlA, urlB]) {
        const health = await call(url, 'GET', '/api/health', {});
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'ok',
          store: { kind: 'postgresql', reachable: true },
          instances: ['local'],
          restartRequired: false,
        });
      }

      // A user created on A logs in on B; A's session works on B.
      const adminA = await login(urlA, 'admin', ADMIN_PASSWORD);
      const created = await call(urlA, 'POST', '/api/users', adminA, { name: 'bob', role: 'user' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const bobPassword = String(created.body.password);
      const bobOnB = await login(urlB, 'bob', bobPassword);
      expect((await call(urlB, 'GET', '/api/vms', bobOnB)).status).toBe(200);
      const users = await call(urlB, 'GET', '/api/users', adminA);
      expect(users.status).toBe(200);
      expect(users.body.users.map((user: { name: string }) => user.name).sort()).toEqual(['admin', 'bob']);

      // A configuration saved on A: both replicas run the old one, so both need a restart.
      const saved = await call(urlA, 'PUT', '/api/configuration', adminA, {
        basics: { connectors: 'local' },
        instances: { local: { 'quota.vm': 7 } },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toEqual({ restartRequired: true });
      for (const url of [urlA, urlB]) {
        const health = await call(url, 'GET', '/api/health', {});
        expect(health.status).toBe(200);
        expect(health.body.restartRequired).toBe(true);
      }
      const read = await call(urlB, 'GET', '/api/configuration', adminA);
      expect(read.body.instances).toEqual({ local: { 'quota.vm': 7 } });
      expect(read.body.restartRequired).toBe(true);

      // Wrong passwords for bob on A until A locks him out...
      let refused: Answer | undefined;
      for (let attempt = 0; attempt < 20 && refused === undefined; attempt++) {
        const answer = await tryLogin(urlA, 'bob', 'not-bobs-password');
        if (answer.status === 429) refused = answer;
        else expect(answer.status, JSON.stringify(answer.body)).toBe(401);
      }
      expect(refused?.body.error.code).toBe('RATE_LIMITED');
      // ...and B refuses him too, even with the right password; A does as well.
      for (const url of [urlB, urlA]) {
        const locked = await tryLogin(url, 'bob', bobPassword);
        expect(locked.status, JSON.stringify(locked.body)).toBe(429);
        expect(locked.body.error.code).toBe('RATE_LIMITED');
      }
      // Another user from the same address is not affected.
      await login(urlB, 'admin', ADMIN_PASSWORD);
    },
    TEST_TIMEOUT,
  );

  it(
    'hold a quota across both: 40 concurrent launches, 20 on each, with quota.vm 10 make exactly 10 VMs',
    async () => {
      const sim = await simulator();
      const { urlA, urlB } = await startReplicas({
        together: true,
        env: { SLIPSTREAM_CONNECTORS: 'cloudstack' },
        config: cloudstackConfig(sim, { 'quota.vm': 10 }),
      });
      const alice = await aliceWithCredentials(urlA, sim);

      // One session for both replicas: sessions need no stickiness.
      const launches = Array.from({ length: 40 }, (_, i) =>
        call(i % 2 === 0 ? urlA : urlB, 'POST', '/api/clouds/cloudstack/vms', alice, {
          ...LAUNCH,
          name: `quota-${i}`,
          idempotencyKey: `quota-${i}`,
        }),
      );
      const answers = await Promise.all(launches);
      const outcomes = answers.map((answer) =>
        answer.status === 201
          ? '201'
          : `${answer.status} ${answer.body?.error?.code ?? JSON.stringify(answer.body)}`,
      );
      expect(tally(outcomes)).toEqual([
        ['201', 10],
        ['409 QUOTA_EXCEEDED', 30],
      ]);
      const launchedKeys = answers
        .filter((answer) => answer.status === 201)
        .map((answer) => String(answer.body.idempotencyKey))
        .sort();

      for (const url of [urlA, urlB]) {
        const vms = await listVms(url, alice);
        expect(vms).toHaveLength(10);
        expect(vms.map((vm) => vm.idempotencyKey).sort()).toEqual(launchedKeys);
      }
      const inCloud = simVms(sim);
      expect(inCloud).toHaveLength(10);
      expect(inCloud.map((vm) => vm.displayName).sort()).toEqual(launchedKeys);
    },
    TEST_TIMEOUT,
  );

  it(
    "finish a killed replica's launches on the other once their leases expire: one VM per launch, none lost",
    async () => {
      const sim = await simulator();
      const { a, urlA, urlB, another } = await startReplicas({
        env: {
          SLIPSTREAM_CONNECTORS: 'cloudstack',
          SLIPSTREAM_LAUNCH_LEASE_MS: '4000',
          SLIPSTREAM_RECONCILE_INTERVAL_MS: '2000',
        },
        config: cloudstackConfig(sim),
      });
      const alice = await aliceWithCredentials(urlA, sim);
      const aliceOnB = await login(urlB, 'alice', ALICE_PASSWORD);

      // The cloud is slow to answer deploys: A dies while it waits for some of them.
      const deploysReceived: string[] = [];
      sim.control.addLatency(1500, {
        times: Number.POSITIVE_INFINITY,
        match: (request) => {
          if (request.operation !== 'deployVirtualMachine') return false;
          deploysReceived.push(request.operation);
          return true;
        },
      });
      const keys = Array.from({ length: 8 }, (_, i) => `launch-${i}`);
      const launches = keys.map((key) =>
        call(urlA, 'POST', '/api/clouds/cloudstack/vms', alice, {
          ...LAUNCH,
          // Not a host name, so the cloud does not refuse a second VM of the same name: a launch
          // made twice would show as two VMs.
          name: `Launch ${key}`,
          idempotencyKey: key,
        }).catch((error: unknown) => error),
      );
      // Every launch recorded (B lists the records A made), and the cloud asked to deploy.
      await expect
        .poll(async () => (await listVms(urlB, aliceOnB)).length, { timeout: 60_000, interval: 100 })
        .toBe(8);
      await expect.poll(() => deploysReceived.length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
      expect(await a.stop('SIGKILL')).toBe('SIGKILL');
      // A restarted, as an orchestrator does: its sweep competes with B's for the same launches.
      await another().ready;
      const settled = await Promise.all(launches);
      const unanswered = settled.filter((answer) => answer instanceof Error).length;

      // Nothing is done to B: the sweeps claim A's launches once their leases expire and finish them,
      // each launch on one replica only.
      await expect
        .poll(
          async () =>
            tally(
              (await listVms(urlB, aliceOnB)).map(
                (vm) => `${vm.idempotencyKey} ${vm.name} ${vm.recordState}`,
              ),
            ),
          { timeout: 60_000, interval: 500 },
        )
        .toEqual(keys.map((key) => [`${key} Launch ${key} launched`, 1]));
      // One VM per launch in the cloud: none made twice, none lost.
      expect(tally(simVms(sim).map((vm) => vm.displayName))).toEqual(keys.map((key) => [`Launch ${key}`, 1]));
      expect(simVms(sim)).toHaveLength(8);
      // Some launches were still in flight when A died (otherwise this test showed nothing).
      expect(unanswered).toBeGreaterThan(0);
    },
    TEST_TIMEOUT,
  );

  it(
    'answer 503 while the database is down, naming it without its password, and recover with the same session',
    async () => {
      const { urlA, urlB, databaseUrl } = await startReplicas();
      const admin = await login(urlA, 'admin', ADMIN_PASSWORD);
      const token = await call(urlA, 'POST', '/api/tokens', admin, { name: 'outage' });
      expect(token.status, JSON.stringify(token.body)).toBe(201);
      const bearer = { authorization: `Bearer ${token.body.token}` };
      expect((await call(urlA, 'GET', '/api/vms', admin)).status).toBe(200);
      const location = databaseLocation(databaseUrl);
      const { password } = postgres();
      expect(location).not.toContain(password);

      await postgres().stop();
      try {
        const health = await call(urlA, 'GET', '/api/health', {});
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({
          status: 'unavailable',
          store: { kind: 'postgresql', location, reachable: false },
        });
        expect(JSON.stringify(health.body)).not.toContain(password);
        for (const headers of [admin, bearer]) {
          const refused = await call(urlA, 'GET', '/api/vms', headers);
          expect(refused.status, JSON.stringify(refused.body)).toBe(503);
          expect(refused.body.error.code).toBe('STORE_UNAVAILABLE');
          expect(refused.body.error.message).toContain(location);
          expect(JSON.stringify(refused.body)).not.toContain(password);
        }
      } finally {
        await postgres().start();
      }

      // Back by itself: the same session and token work, on A and on B.
      await expect
        .poll(async () => (await call(urlA, 'GET', '/api/health', {})).status, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(200);
      const health = await call(urlA, 'GET', '/api/health', {});
      expect(health.body).toMatchObject({ status: 'ok', store: { location, reachable: true } });
      expect((await call(urlA, 'GET', '/api/vms', admin)).status).toBe(200);
      expect((await call(urlA, 'GET', '/api/vms', bearer)).status).toBe(200);
      await expect
        .poll(async () => (await call(urlB, 'GET', '/api/health', {})).status, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(200);
      expect((await call(urlB, 'GET', '/api/vms', admin)).status).toBe(200);
    },
    TEST_TIMEOUT,
  );
});
