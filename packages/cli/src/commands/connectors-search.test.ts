import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../command.js';
import { type FakePackage, type FakeRegistry, startFakeRegistry } from '../testing/fake-registry.js';
import { cli, json } from '../testing/io.js';

const PACKAGES: FakePackage[] = [
  {
    name: '@slipstream/connector-cloudstack',
    version: '1.2.0',
    license: 'Apache-2.0',
    description: 'CloudStack connector for SlipStream',
    keywords: ['slipstream', 'slipstream-connector', 'cloudstack'],
  },
  {
    name: 'slipstream-connector-acme',
    version: '0.3.1',
    license: 'SEE LICENSE IN LICENSE',
    description: 'ACME Cloud connector',
    keywords: ['slipstream-connector'],
  },
  // Found only through its keyword: npmjs-like registries list it, Verdaccio does not.
  {
    name: 'acme-cloud-bridge',
    version: '2.0.0',
    license: 'MIT',
    description: 'A bridge',
    keywords: ['slipstream-connector'],
  },
  // Core carries the keyword too, but is no connector.
  {
    name: '@slipstream/connector-core',
    version: '1.0.0',
    license: 'Apache-2.0',
    description: 'The connector contract',
    keywords: ['slipstream-connector'],
  },
  { name: 'left-pad', version: '1.3.0', license: 'WTFPL', description: 'slipstream unrelated' },
];

describe('slipstream connectors search', () => {
  let verdaccioLike: FakeRegistry;
  let npmLike: FakeRegistry;

  beforeAll(async () => {
    verdaccioLike = await startFakeRegistry(PACKAGES, { keywords: false });
    npmLike = await startFakeRegistry(PACKAGES, { keywords: true });
  });
  afterAll(async () => {
    await verdaccioLike.close();
    await npmLike.close();
  });

  it('finds scoped and unscoped connectors with their licenses on a Verdaccio-like registry', async () => {
    const run = await cli(['connectors', 'search', '--registry', verdaccioLike.url]);
    expect(run.status).toBe(EXIT.OK);
    const lines = run.stdout.split('\n');
    const cloudstack = lines.find((line) => line.startsWith('@slipstream/connector-cloudstack'));
    expect(cloudstack).toMatch(/cloudstack\s+1\.2\.0\s+Apache-2\.0 \(open source\)\s+CloudStack connector/);
    const acme = lines.find((line) => line.startsWith('slipstream-connector-acme'));
    expect(acme).toMatch(/acme\s+0\.3\.1\s+SEE LICENSE IN LICENSE \(proprietary\)\s+ACME Cloud connector/);
    expect(run.stdout).not.toContain('connector-core');
    expect(run.stdout).not.toContain('left-pad');
    // It asked for each package's document, scoped names with an encoded slash.
    expect(verdaccioLike.requests).toContain('/@slipstream%2fconnector-cloudstack');
    expect(
      verdaccioLike.requests.some((path) =>
        path.startsWith('/-/v1/search?text=keywords%3Aslipstream-connector'),
      ),
    ).toBe(true);
  });

  it('also lists keyword-only packages where the registry indexes keywords', async () => {
    const run = await cli(['connectors', 'search', '--json'], { env: { npm_config_registry: npmLike.url } });
    expect(run.status).toBe(EXIT.OK);
    const body = json(run);
    expect(body.registry).toBe(npmLike.url);
    expect(body.term).toBeNull();
    expect(body.connectors).toEqual([
      {
        name: '@slipstream/connector-cloudstack',
        connector: 'cloudstack',
        version: '1.2.0',
        license: 'Apache-2.0',
        openSource: true,
        description: 'CloudStack connector for SlipStream',
      },
      {
        name: 'acme-cloud-bridge',
        connector: null,
        version: '2.0.0',
        license: 'MIT',
        openSource: true,
        description: 'A bridge',
      },
      {
        name: 'slipstream-connector-acme',
        connector: 'acme',
        version: '0.3.1',
        license: 'SEE LICENSE IN LICENSE',
        openSource: false,
        description: 'ACME Cloud connector',
      },
    ]);
  });

  it('filters by the term locally', async () => {
    const run = await cli(['connectors', 'search', 'ACME', '--registry', npmLike.url, '--json']);
    const names = (json(run).connectors as { name: string }[]).map((item) => item.name);
    expect(names).toEqual(['acme-cloud-bridge', 'slipstream-connector-acme']);
    const none = await cli(['connectors', 'search', 'nothing-like-this', '--registry', npmLike.url]);
    expect(none.status).toBe(EXIT.OK);
    expect(none.stdout).toContain('No connector packages matching "nothing-like-this"');
  });

  it('reads the registry from the npm configuration (.npmrc) when no flag or variable names one', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'slipstream-npmrc-'));
    try {
      await writeFile(join(dir, '.npmrc'), `registry=${verdaccioLike.url}\n`);
      const run = await cli(['connectors', 'search', '--json'], {
        cwd: dir,
        env: { npm_config_userconfig: join(dir, 'none') },
      });
      expect(run.status).toBe(EXIT.OK);
      expect(json(run).registry).toBe(verdaccioLike.url);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a registry answering 500 with EXIT.EXTERNAL', async () => {
    npmLike.override({ status: 500, body: 'Internal Server Error' });
    try {
      const run = await cli(['connectors', 'search', '--registry', npmLike.url]);
      expect(run.status).toBe(EXIT.EXTERNAL);
      expect(run.stderr).toContain(`The registry at ${npmLike.url} answered HTTP 500`);
      const asJson = await cli(['connectors', 'search', '--registry', npmLike.url, '--json']);
      expect(asJson.status).toBe(EXIT.EXTERNAL);
      expect(json(asJson).error).toMatchObject({ code: 'REGISTRY_HTTP_ERROR' });
    } finally {
      npmLike.override(undefined);
    }
  });

  it.each([
    ['HTML', '<html>hello</html>'],
    ['a JSON array', '[1,2,3]'],
    ['objects that are not packages', '{"objects":[{"package":{"name":42}}]}'],
    ['no objects', '{"results":[]}'],
  ])('reports a registry answering %s as garbage', async (_what, body) => {
    npmLike.override({ status: 200, body });
    try {
      const run = await cli(['connectors', 'search', '--registry', npmLike.url, '--json']);
      expect(run.status).toBe(EXIT.EXTERNAL);
      const error = json(run).error as { code: string; message: string };
      expect(error.code).toBe('REGISTRY_BAD_ANSWER');
      expect(error.message).toContain(
        `The registry at ${npmLike.url} answered something that is not a search result`,
      );
    } finally {
      npmLike.override(undefined);
    }
  });

  it('names an unreachable registry', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe: Server = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const url = `http://127.0.0.1:${port}/`;
    const run = await cli(['connectors', 'search', '--registry', url]);
    expect(run.status).toBe(EXIT.EXTERNAL);
    expect(run.stderr).toContain(`Cannot reach the registry at ${url} (ECONNREFUSED)`);
  });

  it('never prints credentials in the registry URL', async () => {
    const withAuth = npmLike.url.replace('http://', 'http://user:s3cret-pass@');
    const run = await cli(['connectors', 'search', '--registry', withAuth, '--json']);
    expect(run.status).toBe(EXIT.OK);
    expect(run.stdout).not.toContain('s3cret-pass');
  });

  it('rejects a registry that is not a URL, and extra arguments', async () => {
    const bad = await cli(['connectors', 'search', '--registry', 'not a url']);
    expect(bad.status).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('--registry "not a url" is not a URL');
    const extra = await cli(['connectors', 'search', 'a', 'b', '--registry', npmLike.url]);
    expect(extra.status).toBe(EXIT.USAGE);
    expect(extra.stderr).toContain('"b" is one too many');
  });
});
