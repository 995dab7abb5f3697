import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { CliError } from '../errors.js';
import { normalizeRegistry } from './resolve.js';
import { searchConnectors } from './search.js';

describe('searchConnectors', () => {
  let silent: Server;
  let url: string;

  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on a registry that does not answer in time', async () => {
    const failure = await searchConnectors(url, { timeoutMs: 150 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect(failure).toMatchObject({ exit: EXIT.EXTERNAL, code: 'REGISTRY_TIMEOUT' });
    expect((failure as Error).message).toContain(`The registry at ${url} did not answer in time`);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = searchConnectors(url, { signal: controller.signal }).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ exit: EXIT.INTERRUPTED });
  });
});

describe('normalizeRegistry', () => {
  it('keeps a path and adds the trailing slash so endpoints join under it', () => {
    expect(normalizeRegistry('https://example.test/npm/registry', 'x')).toBe(
      'https://example.test/npm/registry/',
    );
    expect(normalizeRegistry(' http://127.0.0.1:4873 ', 'x')).toBe('http://127.0.0.1:4873/');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => normalizeRegistry('ftp://example.test/', '--registry')).toThrow(
      /must be an http or https URL/,
    );
    expect(() => normalizeRegistry('registry', '--registry')).toThrow(/is not a URL/);
  });
});
