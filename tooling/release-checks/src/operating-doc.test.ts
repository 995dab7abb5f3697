import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/operating.md, the operator's guide, is held to the code: every setting it names is one the
 * server reads, every `slipstream …` command it shows is one the built CLI dispatches, and it keeps
 * the sections an operator comes for (TLS, the service, backups, upgrades, a lost password).
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const DOCUMENT = 'docs/operating.md';
/** Where the server reads its settings: the environment variables are named in these files. */
const SETTINGS_SOURCES = ['packages/server/src/settings.ts', 'packages/server/src/security/secret-key.ts'];

/** The environment variables a source text reads: `env.NAME`, `env['NAME']` and 'SLIPSTREAM_…' names. */
export function variablesRead(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g)) {
    names.add(match[1] ?? match[2] ?? '');
  }
  for (const match of source.matchAll(/['"`](SLIPSTREAM_[A-Z0-9_]*[A-Z0-9])['"`]/g))
    names.add(match[1] ?? '');
  names.delete('');
  return names;
}

/** The settings a document names: SLIPSTREAM_* anywhere, HOST and PORT as words. */
export function variablesNamed(markdown: string): Set<string> {
  return new Set(markdown.match(/\b(?:SLIPSTREAM_[A-Z0-9_]*[A-Z0-9]|HOST|PORT)\b/g) ?? []);
}

/** Inline code spans and fenced code blocks: where a document shows commands. */
function codeOf(markdown: string): string[] {
  const code: string[] = [];
  const prose = markdown.replace(/^```[^\n]*\n([\s\S]*?)^```$/gm, (_block, body: string) => {
    code.push(body);
    return '';
  });
  for (const match of prose.matchAll(/`([^`\n]+)`/g)) code.push(match[1] ?? '');
  return code;
}

/**
 * Each `slipstream` invocation in the document's code, as its words up to the first argument that
 * is not a plain word: `sudo npx slipstream connectors add openstack` → `connectors add openstack`.
 * Only command positions count (a line's or span's start, after `|`, `;`, `&&`, `$(`, `sudo` or
 * `npx`), so `-u slipstream` and paths are not taken for commands; the guide's wrapper
 * `slipstream-as-svc` passes its arguments to `slipstream` and counts too.
 */
export function slipstreamCommands(markdown: string): string[][] {
  const commands: string[][] = [];
  const invocation =
    /(?:^|[|;&]\s*|\$\()[ \t]*(?:sudo[ \t]+)?(?:npx[ \t]+)?(?:\S*\/)?slipstream(?:-as-svc)?(?![\w./-])((?:[ \t]+[a-z][a-z-]*(?![\w./-]))*)/gm;
  for (const code of codeOf(markdown)) {
    for (const match of code.matchAll(invocation)) {
      const words = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
      if (words.length > 0) commands.push(words);
    }
  }
  return commands;
}

/** The invocations that start with no command's path, each as `slipstream <words>`. */
export function unknownCommands(
  invocations: readonly (readonly string[])[],
  paths: readonly (readonly string[])[],
): string[] {
  return invocations
    .filter((words) => !paths.some((path) => path.every((word, index) => words[index] === word)))
    .map((words) => `slipstream ${words.join(' ')}`);
}

async function commandPaths(): Promise<string[][]> {
  // The built CLI (release-checks does not depend on @slipstream/cli; `pnpm test` builds first).
  const cli = (await import(pathToFileURL(join(root, 'packages/cli/dist/index.js')).href)) as {
    COMMANDS: readonly { readonly path: readonly string[] }[];
  };
  return cli.COMMANDS.map((command) => [...command.path]);
}

describe('docs/operating.md', () => {
  it('names only settings the server reads', async () => {
    const markdown = await readFile(join(root, DOCUMENT), 'utf8');
    const read = new Set<string>();
    for (const file of SETTINGS_SOURCES) {
      for (const name of variablesRead(await readFile(join(root, file), 'utf8'))) read.add(name);
    }
    expect([...read]).toEqual(
      expect.arrayContaining(['HOST', 'PORT', 'SLIPSTREAM_HOME', 'SLIPSTREAM_SECRET_KEY']),
    );
    const named = variablesNamed(markdown);
    expect(named.size).toBeGreaterThanOrEqual(8);
    expect([...named].filter((name) => !read.has(name))).toEqual([]);
  });

  it('shows only slipstream commands the CLI has', async () => {
    const markdown = await readFile(join(root, DOCUMENT), 'utf8');
    const paths = await commandPaths();
    expect(paths).toContainEqual(['admin', 'reset-password']);
    const invocations = slipstreamCommands(markdown);
    expect(invocations.length).toBeGreaterThanOrEqual(10);
    expect(unknownCommands(invocations, paths)).toEqual([]);
    // The commands an operator needs from this guide are all shown.
    for (const needed of [
      'config set',
      'config check',
      'admin reset-password',
      'connectors add',
      'connectors list',
    ]) {
      expect(
        invocations.some((words) => words.join(' ').startsWith(needed)),
        `shows slipstream ${needed}`,
      ).toBe(true);
    }
  });

  it('has the sections an operator comes for', async () => {
    const markdown = await readFile(join(root, DOCUMENT), 'utf8');
    const headings = (markdown.match(/^#{2,3} .+$/gm) ?? []).join('\n');
    for (const topic of [
      /TLS/,
      /reverse proxy/i,
      /service/i,
      /backup/i,
      /restor/i,
      /upgrad/i,
      /password/i,
      /logs/i,
      /health/i,
      /limits/i,
    ]) {
      expect(headings, `a heading matching ${topic}`).toMatch(topic);
    }
    // The examples it promises: a proxy in nginx and Caddy, a systemd unit, a consistent SQLite copy.
    expect(markdown).toContain('```nginx');
    expect(markdown).toContain('```caddyfile');
    expect(markdown).toMatch(/^\[Service\]$/m);
    expect(markdown).toContain(".backup '");
  });

  it('would report a setting the server does not read and a command the CLI does not have', () => {
    const read = variablesRead("const port = env.PORT; const x = 'SLIPSTREAM_HOME';");
    expect([...read].sort()).toEqual(['PORT', 'SLIPSTREAM_HOME']);
    const named = variablesNamed('Set `SLIPSTREAM_HOME` and `SLIPSTREAM_TRUST_PROXY=true`, then PORT.');
    expect([...named].filter((name) => !read.has(name))).toEqual(['SLIPSTREAM_TRUST_PROXY']);

    const markdown = [
      'Run `slipstream config set connectors "x"` or `slipstream admin reset-passwd`.',
      '```sh',
      'sudo -u slipstream env SLIPSTREAM_HOME=/var/lib/slipstream node x.js',
      'cd /opt/slipstream && sudo npx slipstream connectors add openstack',
      'printf %s "$P" | sudo slipstream-as-svc config set lab.password -',
      'journalctl -u slipstream -o cat',
      'slipstream backup now',
      '```',
    ].join('\n');
    const invocations = slipstreamCommands(markdown);
    expect(invocations).toEqual([
      ['connectors', 'add', 'openstack'],
      ['config', 'set'],
      ['backup', 'now'],
      ['config', 'set', 'connectors'],
      ['admin', 'reset-passwd'],
    ]);
    const paths = [
      ['config', 'set'],
      ['connectors', 'add'],
      ['admin', 'reset-password'],
    ];
    expect(unknownCommands(invocations, paths)).toEqual([
      'slipstream backup now',
      'slipstream admin reset-passwd',
    ]);
  });
});
