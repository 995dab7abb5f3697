import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, runCli } from './run.js';

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'scaffolder-cli-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: work,
  });
  return { status, stdout, stderr };
}

describe('create-slipstream-connector', () => {
  it('creates the package, lists its files and says what to do next', async () => {
    const { status, stdout, stderr } = await run('acme-cloud');
    expect(status).toBe(EXIT.OK);
    expect(stderr).toBe('');
    expect(stdout).toContain(
      'Created slipstream-connector-acme-cloud (Acme Cloud, license Apache-2.0) in ./slipstream-connector-acme-cloud',
    );
    expect(stdout).toContain('  src/conformance.test.ts');
    expect(stdout).toContain('  src/testing/stand-in-api.ts');
    expect(stdout).toContain('docs/connector-guidelines.md');
    expect(stdout).toContain('npm test');
    const manifest = JSON.parse(
      await readFile(join(work, 'slipstream-connector-acme-cloud', 'package.json'), 'utf8'),
    );
    expect(manifest.name).toBe('slipstream-connector-acme-cloud');
  });

  it('takes --dir, --scope, --license and --cloud, in both --flag value and --flag=value forms', async () => {
    const { status, stdout } = await run(
      'acme',
      '--dir',
      'out/acme',
      '--scope=@slipstream',
      '--license',
      'proprietary',
      '--cloud=Acme Compute',
    );
    expect(status).toBe(EXIT.OK);
    expect(stdout).toContain(
      'Created @slipstream/connector-acme (Acme Compute, license SEE LICENSE IN LICENSE) in ./out/acme',
    );
    const manifest = JSON.parse(await readFile(join(work, 'out', 'acme', 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@slipstream/connector-acme', license: 'SEE LICENSE IN LICENSE' });
  });

  it('says what to do when npm install fails with E404, naming the checkout this scaffolder runs from', async () => {
    const { status, stdout } = await run('acme-cloud');
    expect(status).toBe(EXIT.OK);
    const checkout = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
    expect(stdout).toContain('If `npm install` fails with E404 for @slipstream/connector-core');
    expect(stdout).toContain(
      `scaffold again with --from-checkout ${checkout}, this scaffolder's own checkout`,
    );
    expect(stdout).toContain('npm run try-in-server');
  });

  it('takes --from-checkout and says the dev dependencies link it', async () => {
    const checkout = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
    const { status, stdout } = await run('acme-cloud', '--from-checkout', checkout);
    expect(status).toBe(EXIT.OK);
    expect(stdout).toContain(
      `The @slipstream dev dependencies link the built packages of the checkout ${checkout}`,
    );
    expect(stdout).not.toContain('E404');
    const manifest = JSON.parse(
      await readFile(join(work, 'slipstream-connector-acme-cloud', 'package.json'), 'utf8'),
    );
    expect(manifest.devDependencies['@slipstream/connector-core']).toBe(
      `file:${join(checkout, 'packages', 'connector-core')}`,
    );
  });

  it('prints the help with the exit statuses', async () => {
    const { status, stdout } = await run('--help');
    expect(status).toBe(EXIT.OK);
    expect(stdout).toContain('Usage: pnpm create slipstream-connector <name> [options]');
    expect(stdout).toContain('--license <license>');
    expect(stdout).toContain('Exit statuses:');
    expect((await run('-h')).stdout).toBe(stdout);
  });

  it.each([
    [['Acme Cloud'], 'Connector name "Acme Cloud" is not valid'],
    [[], 'Give the connector name'],
    [['one', 'two'], 'Give one connector name; got 2: one two'],
    [['acme', '--colour'], "Unknown option '--colour'"],
    [['acme', '--dir'], "Option '--dir <value>' argument missing"],
    [['acme', '--scope', '@a', '--unscoped'], '--scope and --unscoped contradict each other'],
    [['acme', '--license', 'Acme-1.0'], 'License "Acme-1.0" is not a valid SPDX expression'],
    [['core'], 'Connector name "core" is reserved'],
    [['aws'], 'Connector name "aws" is reserved: it is SlipStream\'s own Amazon EC2 connector'],
    [['acme', '--scope', '@acmecorp'], 'Scope "@acmecorp" cannot be used'],
    [['acme', '--scope', '@acmecorp'], 'the package is then named slipstream-connector-acme'],
    [
      ['acme', '--from-checkout', '/nonexistent'],
      '--from-checkout /nonexistent is not a SlipStream checkout',
    ],
  ])('exits 2 on bad usage %j, saying what is wrong, and writes nothing', async (args, message) => {
    const { status, stdout, stderr } = await run(...args);
    expect(status).toBe(EXIT.USAGE);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('create-slipstream-connector --help');
    expect(await readdir(work)).toEqual([]);
  });

  it('exits 1 when the target is not empty, leaving it as it was', async () => {
    const dir = join(work, 'slipstream-connector-acme');
    await mkdir(dir);
    await writeFile(join(dir, 'keep.txt'), 'mine');
    const { status, stderr } = await run('acme');
    expect(status).toBe(EXIT.REFUSED);
    expect(stderr).toContain(`${dir} already exists and is not empty (keep.txt)`);
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });
});
