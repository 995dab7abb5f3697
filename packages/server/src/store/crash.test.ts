import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite.js';
import type { StoredValues } from './types.js';

/*
 * A writer process is killed with SIGKILL during a multi-row change, then the store is reopened and
 * must hold the state of one whole generation: the previous one or the next, never a mix.
 *
 * The child cannot import the TypeScript store (Node 20 has no type stripping and nothing in the
 * package transpiles on the fly), so it issues the same statements as replaceConfiguration and as
 * "create user + first credentials" through better-sqlite3 directly, with the store's pragmas. It
 * pauses at a chosen point (inside the transaction, or just after COMMIT) and tells the parent, so
 * the kill lands exactly there instead of wherever the scheduler happens to be.
 */
const CHILD = String.raw`
const [bs3Path, file, pauseAt, pauseGenText] = process.argv.slice(2);
const Database = require(bs3Path);
const { writeSync } = require('node:fs');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const INSTANCES = Number(process.env.INSTANCES);
const PARAMETERS = Number(process.env.PARAMETERS);
const pauseGen = Number(pauseGenText);
const say = (line) => writeSync(1, line + '\n');
const pause = () => { say('paused'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); };
const current = Number(db.prepare('SELECT connectors FROM configuration').pluck().get().slice(4));
const setting = db.prepare('INSERT INTO configuration_settings (key, value) VALUES (?, ?)');
const parameter = db.prepare('INSERT INTO configuration_parameters (instance, key, value_json, secret_blob) VALUES (?, ?, ?, ?)');
for (let gen = current + 1; ; gen++) {
  const now = new Date().toISOString();
  db.exec('BEGIN IMMEDIATE');
  db.prepare('UPDATE configuration SET connectors = ?, updated_at = ? WHERE id = 1').run('gen-' + gen, now);
  db.exec('DELETE FROM configuration_settings');
  setting.run('gen', String(gen));
  setting.run('other', String(gen));
  db.exec('DELETE FROM configuration_parameters');
  for (let i = 0; i < INSTANCES; i++) {
    for (let p = 0; p < PARAMETERS; p++) {
      parameter.run('i' + i, 'p' + p, p % 2 ? JSON.stringify(gen) : null, p % 2 ? null : 'blob-' + gen);
    }
    if (gen === pauseGen && pauseAt === 'mid' && i === Math.floor(INSTANCES / 2)) pause();
  }
  const userId = 'user-' + gen;
  db.prepare("INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, 'user', 'h', ?)").run(userId, userId, now);
  db.prepare("INSERT INTO credentials (user_id, instance, updated_at) VALUES (?, 'local', ?)").run(userId, now);
  const value = db.prepare("INSERT INTO credential_values (user_id, instance, key, value_json, secret_blob) VALUES (?, 'local', ?, ?, NULL)");
  for (let k = 0; k < 10; k++) value.run(userId, 'k' + k, JSON.stringify(gen));
  db.exec('COMMIT');
  if (gen === pauseGen && pauseAt === 'commit') pause();
  say('committed ' + gen);
}
`;

const INSTANCES = 10;
const PARAMETERS = 200;

function generationValues(gen: number): StoredValues {
  const values: Record<string, StoredValues[string]> = {};
  for (let p = 0; p < PARAMETERS; p++) {
    values[`p${p}`] = p % 2 ? { kind: 'plain', value: gen } : { kind: 'secret', blob: `blob-${gen}` };
  }
  return values;
}

let dir: string;
let file: string;
let script: string;
const bs3Path = createRequire(import.meta.url).resolve('better-sqlite3');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipstream-crash-'));
  file = join(dir, 'store.db');
  script = join(dir, 'writer.cjs');
  writeFileSync(script, CHILD);
  const store = await openSqliteStore({ file });
  const instances: Record<string, StoredValues> = {};
  for (let i = 0; i < INSTANCES; i++) instances[`i${i}`] = generationValues(0);
  await store.replaceConfiguration({
    basics: { connectors: 'gen-0', settings: { gen: '0', other: '0' } },
    instances,
  });
  await store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the writer and kills it with SIGKILL once `ready` accepts one of its lines. */
async function runAndKill(
  pauseAt: string,
  pauseGen: number,
  ready: (line: string) => boolean,
): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, [script, bs3Path, file, pauseAt, String(pauseGen)], {
    env: { ...process.env, INSTANCES: String(INSTANCES), PARAMETERS: String(PARAMETERS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.once('exit', (_code, signal) => done(signal)),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of reader) {
    lines.push(line);
    if (ready(line)) break;
  }
  child.kill('SIGKILL');
  const signal = await exited;
  expect(stderr).toBe('');
  expect(signal).toBe('SIGKILL');
  return lines;
}

/** Reopens through the store and checks that everything belongs to one generation; returns it. */
async function committedGeneration(): Promise<number> {
  const store = await openSqliteStore({ file });
  try {
    const configuration = await store.getConfiguration();
    const gen = Number(configuration?.basics.connectors.slice(4));
    expect(configuration?.basics.settings).toEqual({ gen: String(gen), other: String(gen) });
    expect(Object.keys(configuration?.instances ?? {})).toHaveLength(INSTANCES);
    for (const values of Object.values(configuration?.instances ?? {})) {
      expect(values).toEqual(generationValues(gen));
    }
    // Generation g created user-g with all ten credentials; later generations created nothing.
    const users = (await store.listUsers()).map((user) => user.name).sort();
    expect(users).toEqual(Array.from({ length: gen }, (_v, index) => `user-${index + 1}`).sort());
    const credentials = await store.getCredentials(`user-${gen}`, 'local');
    if (gen > 0)
      expect(Object.values(credentials?.values ?? {})).toEqual(Array(10).fill({ kind: 'plain', value: gen }));
    return gen;
  } finally {
    await store.close();
  }
}

describe('a writer killed with SIGKILL', () => {
  it('in the middle of its transaction leaves the previous generation', { timeout: 30_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const before = await committedGeneration();
      await runAndKill('mid', before + 2, (line) => line === 'paused');
      expect(await committedGeneration()).toBe(before + 1);
    }
  });

  it('right after COMMIT leaves the next generation', { timeout: 30_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const before = await committedGeneration();
      await runAndKill('commit', before + 1, (line) => line === 'paused');
      expect(await committedGeneration()).toBe(before + 1);
    }
  });

  it('at an arbitrary moment leaves a whole generation at or after the last reported commit', {
    timeout: 30_000,
  }, async () => {
    for (let round = 0; round < 4; round++) {
      const before = await committedGeneration();
      let commits = 0;
      // Killed just after reading a commit report, while the writer is already in its next change.
      const lines = await runAndKill('none', 0, (line) => line.startsWith('committed ') && ++commits > round);
      const reported = Math.max(0, ...lines.map((line) => Number(line.slice('committed '.length)) || 0));
      const gen = await committedGeneration();
      expect(reported).toBe(before + round + 1);
      expect(gen).toBeGreaterThanOrEqual(reported);
    }
  });
});
