import { tmpdir } from 'node:os';
import { commandEnv } from './environment.js';
import { run } from './run.js';

/**
 * The registry third-party packages come from, as npm is configured to reach it: its URL, and the
 * CA file and proxies npm uses, so Verdaccio gets through wherever npm does (a CI machine behind
 * a proxy, a TLS-inspecting gateway whose CA npm trusts through `cafile`).
 */
export interface Uplink {
  readonly url: string;
  readonly cafile: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly httpProxy: string | undefined;
  readonly noProxy: string | undefined;
  readonly strictSsl: boolean;
}

const KEYS = ['registry', 'cafile', 'https-proxy', 'proxy', 'noproxy', 'strict-ssl'] as const;

/** Asks npm for those settings only (never for the whole configuration, which holds tokens). */
export async function npmUplink(): Promise<Uplink> {
  const { stdout } = await run('npm', ['config', 'get', ...KEYS], {
    cwd: tmpdir(),
    env: commandEnv(),
    timeoutMs: 30_000,
  });
  return parseNpmConfig(stdout);
}

/** Parses `npm config get k1 k2 ...` output (`key=value` lines; `null` or empty for unset). */
export function parseNpmConfig(output: string): Uplink {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const value = line.slice(at + 1).trim();
    if (value !== '' && value !== 'null' && value !== 'undefined')
      values.set(line.slice(0, at).trim(), value);
  }
  const url = values.get('registry');
  if (url === undefined || !/^https?:\/\//.test(url)) {
    throw new Error(
      `npm has no usable registry configured (\`npm config get registry\` said ${JSON.stringify(url ?? '')}); set one with \`npm config set registry https://registry.npmjs.org/\`.`,
    );
  }
  return {
    url,
    cafile: values.get('cafile'),
    httpsProxy: values.get('https-proxy'),
    httpProxy: values.get('proxy'),
    noProxy: values.get('noproxy'),
    strictSsl: values.get('strict-ssl') !== 'false',
  };
}
