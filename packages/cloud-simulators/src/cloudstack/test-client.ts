import type { RunningSimulator } from '../server/simulator.js';
import { CLOUDSTACK_OFFERINGS, CLOUDSTACK_TEMPLATES, CLOUDSTACK_ZONES } from './catalog.js';
import { formatTzDate } from './dates.js';
import { CLOUDSTACK_API_PATH } from './frontend.js';
import { computeSignature, javaUrlEncode } from './signature.js';

/**
 * A minimal CloudStack client for the simulator's own tests: signs like any CloudStack client and
 * returns the raw answer, so that tests look at statuses, headers and bodies exactly as sent.
 */

export interface TestTarget {
  readonly url: string;
  readonly credentials: { readonly key: string; readonly secret: string };
}

export interface TestCallOptions {
  readonly method?: 'GET' | 'POST';
  readonly key?: string;
  readonly secret?: string;
  /** Adds `signatureVersion=3` and this `expires` (epoch ms, or the text to send). */
  readonly expires?: number | string;
  /** `json` (default), `xml`, or `none` to send no `response` parameter. */
  readonly response?: 'json' | 'xml' | 'none';
  /** Replaces the computed signature. */
  readonly signature?: string;
}

export interface TestAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined for XML). */
  // biome-ignore lint/suspicious/noExplicitAny: tests index into CloudStack's envelopes freely.
  readonly body: any;
}

export async function callCloudStack(
  target: TestTarget,
  command: string,
  params: Readonly<Record<string, string>> = {},
  options: TestCallOptions = {},
): Promise<TestAnswer> {
  const all: Record<string, string> = { command, ...params, apikey: options.key ?? target.credentials.key };
  if (options.response !== 'none') all.response = options.response ?? 'json';
  if (options.expires !== undefined) {
    all.signatureversion = '3';
    all.expires = typeof options.expires === 'number' ? formatTzDate(options.expires) : options.expires;
  }
  all.signature =
    options.signature ?? computeSignature(options.secret ?? target.credentials.secret, Object.entries(all));
  const encoded = Object.entries(all)
    .map(([name, value]) => `${javaUrlEncode(name)}=${javaUrlEncode(value)}`)
    .join('&');
  const endpoint = `${target.url}${CLOUDSTACK_API_PATH}`;
  const response =
    options.method === 'POST'
      ? await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encoded,
        })
      : await fetch(`${endpoint}?${encoded}`);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') === true;
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: isJson ? JSON.parse(text) : undefined,
  };
}

/** Seeds `count` running VMs in the simulator's own account, from the catalog's first zone, template and offering. */
export function seedCatalogVms(sim: RunningSimulator, namePrefix: string, count = 3) {
  const account = sim.control.cloud.accountByKey(sim.credentials.key);
  if (!account) throw new Error('the simulator has no account for its own credentials');
  return sim.control.cloud.seedVms(account.id, count, {
    zone: CLOUDSTACK_ZONES[0]?.id ?? '',
    image: CLOUDSTACK_TEMPLATES[0]?.id ?? '',
    size: CLOUDSTACK_OFFERINGS[0]?.id ?? '',
    namePrefix,
  });
}

/**
 * The environment for a third-party client run against the simulator: this process's, less any
 * proxy (and `dropped` variables) that would send loopback requests elsewhere.
 */
export function loopbackClientEnv(extra: Record<string, string>, dropped?: RegExp): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(https?_proxy|all_proxy)$/i.test(name) && !dropped?.test(name),
    ),
  );
  return { ...clean, NO_PROXY: '127.0.0.1,localhost', ...extra };
}
