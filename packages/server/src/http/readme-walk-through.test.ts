/**
 * The README's curl walk-through works as written: its shell block is run by bash, unchanged,
 * against a server this test starts on a free loopback port. Only documented variables are set
 * (SLIPSTREAM_URL, SLIPSTREAM_ADMIN_PASSWORD), and each step's printed answer is checked.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerSettings } from '../settings.js';
import { type RunningServer, startServer } from '../start.js';
import { ensureCurl } from '../testing/curl.js';
import { readReadme, section, shellBlocks } from '../testing/readme.js';
import { FROM } from './test-server.js';

const ADMIN_PASSWORD = 'walk-through-admin-Pa55word';

let home: string;
let work: string;
let running: RunningServer;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'slipstream-walk-through-'));
  work = mkdtempSync(join(tmpdir(), 'slipstream-walk-through-work-'));
  // The defaults the walk-through is written for: the local cloud and its demo account.
  const settings = readServerSettings({
    env: { SLIPSTREAM_HOME: home, SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD, HOST: '127.0.0.1', PORT: '0' },
    argv: [],
    cwd: home,
  });
  running = await startServer({ settings, from: FROM, env: {}, logger: pino({ level: 'silent' }) });
}, 120_000);

afterAll(async () => {
  await running?.close();
  for (const directory of [home, work])
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

describe('the README walk-through', () => {
  it('runs as written: log in, create a user, save credentials, launch, list, terminate', async (context) => {
    const curl = ensureCurl();
    if (!curl.ok) {
      console.warn(`Skipped: ${curl.reason}`);
      context.skip();
      return;
    }
    const blocks = shellBlocks(section(readReadme(), 'Walk-through with curl'));
    expect(blocks).toHaveLength(1);
    const script = join(work, 'walk-through.sh');
    writeFileSync(script, blocks.join('\n'));
    const { stdout } = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', script], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        SLIPSTREAM_URL: running.url,
        SLIPSTREAM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
      timeout: 60_000,
    });

    // One printed answer per step.
    const answers = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(7);
    const [adminLogin, created, aliceLogin, saved, launched, listed, terminated] = answers;
    expect(adminLogin).toMatchObject({
      user: { name: 'admin', role: 'admin' },
      csrfToken: expect.any(String),
    });
    expect(created).toMatchObject({ user: { name: 'alice', role: 'user' }, password: expect.any(String) });
    expect(aliceLogin).toMatchObject({ user: { name: 'alice', role: 'user' } });
    expect(saved).toMatchObject({ instance: 'local', hasCredentials: true, checked: true, warnings: [] });
    expect(launched.vms).toHaveLength(1);
    const vm = launched.vms[0];
    expect(vm).toMatchObject({ instance: 'local', owner: 'alice', name: 'web-1', recordState: 'launched' });
    expect(listed.errors).toEqual([]);
    expect(listed.vms.map((item: { cloudId: string }) => item.cloudId)).toEqual([vm.cloudId]);
    expect(terminated.vm).toMatchObject({ instance: 'local', cloudId: vm.cloudId });

    // And the server agrees: alice exists as a user, and her VM is terminated.
    const alice = await running.booted.store.getUserByName('alice');
    expect(alice?.role).toBe('user');
    const records = await running.booted.store.listVmRecords({ ownerId: alice?.id ?? '', instance: 'local' });
    expect(records.map((record) => record.cloudId)).toEqual([vm.cloudId]);
    expect(['terminating', 'terminated']).toContain(terminated.vm.vm?.state ?? records[0]?.state);
  }, 120_000);
});
