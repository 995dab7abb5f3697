import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake npm registry on 127.0.0.1: the search endpoint (`/-/v1/search`) and packuments
 * (`/<name>`, scoped names as `@scope%2fname`), plus tarballs for installs. `keywords: false`
 * answers like Verdaccio, whose search does not understand `keywords:` queries; `keywords: true`
 * like npmjs.org, which returns keyword matches.
 */

export interface FakePackage {
  readonly name: string;
  readonly version: string;
  readonly license?: unknown;
  readonly description?: string;
  readonly keywords?: readonly string[];
  /** A tarball to serve for installs (from `npm pack`). */
  readonly tarball?: Buffer;
  readonly integrity?: string;
  readonly shasum?: string;
}

export interface FakeRegistry {
  readonly url: string;
  /** Request paths with their query, in order. */
  readonly requests: string[];
  /** Overrides every answer: a status and body text. */
  override(answer: { status: number; body: string } | undefined): void;
  close(): Promise<void>;
}

export async function startFakeRegistry(
  packages: readonly FakePackage[],
  options: { keywords: boolean },
): Promise<FakeRegistry> {
  const requests: string[] = [];
  let forced: { status: number; body: string } | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (forced) return send(forced.status, forced.body);
    if (url.pathname === '/-/v1/search') return send(200, search(url.searchParams.get('text') ?? ''));
    const tarball = /^\/(.+)\/-\/[^/]+\.tgz$/.exec(url.pathname);
    if (tarball) {
      const pkg = packages.find((item) => item.name === decodeURIComponent(tarball[1] ?? ''));
      if (!pkg?.tarball) return send(404, { error: 'not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(pkg.tarball);
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const pkg = packages.find((item) => item.name === name);
    if (!pkg) return send(404, { error: 'Not found' });
    return send(200, packument(pkg));
  });

  const search = (text: string): unknown => {
    const keyword = /^keywords:(.+)$/.exec(text)?.[1];
    const matches = packages.filter((pkg) => {
      if (keyword !== undefined) return options.keywords && (pkg.keywords ?? []).includes(keyword);
      const needle = text.toLowerCase();
      return [pkg.name, pkg.description ?? '', ...(pkg.keywords ?? [])].some((field) =>
        field.toLowerCase().includes(needle),
      );
    });
    return {
      objects: matches.map((pkg) => ({
        package: {
          name: pkg.name,
          version: pkg.version,
          description: pkg.description,
          keywords: pkg.keywords,
        },
        score: { final: 1 },
        searchScore: 1,
      })),
      total: matches.length,
      time: new Date().toUTCString(),
    };
  };

  const packument = (pkg: FakePackage): unknown => {
    const { address } = { address: server.address() as AddressInfo };
    return {
      _id: pkg.name,
      name: pkg.name,
      'dist-tags': { latest: pkg.version },
      versions: {
        [pkg.version]: {
          name: pkg.name,
          version: pkg.version,
          description: pkg.description,
          license: pkg.license,
          keywords: pkg.keywords,
          type: 'module',
          dist: {
            tarball: `http://127.0.0.1:${address.port}/${pkg.name}/-/${pkg.name.split('/').pop()}-${pkg.version}.tgz`,
            integrity: pkg.integrity,
            shasum: pkg.shasum,
          },
        },
      },
    };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    override: (answer) => {
      forced = answer;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
