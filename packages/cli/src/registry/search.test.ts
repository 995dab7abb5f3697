import { createServer, type Server, type ServerResponse } from 'node:http';
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

/** A registry whose every answer is `answer(req, res)`, with the paths it was asked for. */
async function startRegistry(
  answer: (res: ServerResponse) => void,
): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    paths,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('searchConnectors against a hostile registry', () => {
  it('never follows a package name that is a URL to another host or path', async () => {
    const other = await startRegistry((res) => res.end('{}'));
    const hostile = await startRegistry((res) => {
      res.setHeader('content-type', 'application/json');
      const names = [`//${other.url.slice('http://'.length)}steal`, '../-/whoami', 'http://127.0.0.1:1/x'];
      res.end(
        JSON.stringify({
          objects: names.map((name) => ({ package: { name, keywords: ['slipstream-connector'] } })),
        }),
      );
    });
    try {
      expect(await searchConnectors(hostile.url)).toEqual([]);
      expect(other.paths).toEqual([]);
      expect(hostile.paths.every((path) => path.startsWith('/-/v1/search?'))).toBe(true);
    } finally {
      await Promise.all([other.close(), hostile.close()]);
    }
  });

  it('stops reading a runaway body', async () => {
    const huge = await startRegistry((res) => {
      res.write(`{"objects":["${'x'.repeat(64 * 1024)}`);
      // Never ends on its own: only the size limit stops the read.
    });
    try {
      const failure = await searchConnectors(huge.url, { maxBodyBytes: 16 * 1024 }).catch(
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ exit: EXIT.EXTERNAL, code: 'REGISTRY_BAD_ANSWER' });
      expect((failure as Error).message).toContain('answered more than 16384 bytes');
    } finally {
      await huge.close();
    }
  });

  it('gives up on a body that drips in slower than the deadline, however steady the drip', async () => {
    const timers: NodeJS.Timeout[] = [];
    const drip = await startRegistry((res) => {
      res.write('{"objects":[');
      timers.push(setInterval(() => res.write(' '), 20));
    });
    try {
      const failure = await searchConnectors(drip.url, { timeoutMs: 10_000, deadlineMs: 200 }).catch(
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ exit: EXIT.EXTERNAL, code: 'REGISTRY_TIMEOUT' });
    } finally {
      for (const timer of timers) clearInterval(timer);
      await drip.close();
    }
  });
});

describe('normalizeRegistry', () => {
  it('never repeats a password from a URL it refuses', () => {
    for (const value of [
      'ftp://user:s3cret-pw@127.0.0.1/',
      'http//user:s3cret-pw@127.0.0.1/',
      'user:s3cret-pw@host',
    ]) {
      let message = '';
      try {
        normalizeRegistry(value, '--registry');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/--registry ".*" (is not a URL|must be an http or https URL)/);
      expect(message).not.toContain('s3cret-pw');
    }
  });

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
