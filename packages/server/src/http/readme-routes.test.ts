/**
 * The README's REST API table lists exactly the API routes the server registers with Fastify:
 * adding, removing or renaming a route without the README (or the other way round) fails here.
 */

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReadme, section, tableRoutes } from '../testing/readme.js';
import { openApiPath } from './openapi.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    name: 'readme-routes',
    adminPassword: 'readme-routes-Pa55word',
    connectors: 'local',
  });
}, 120_000);

afterAll(() => server?.close());

/**
 * Every `METHOD /path` Fastify registered, read from its route tree (printRoutes), whose lines
 * are `<indent>├── <segment> (<METHODS>)`, each segment continuing its parent's path.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const [, indent = '', segment = '', methods] = match;
    const depth = indent.length / 4;
    prefixes.length = depth;
    const path = `${prefixes[depth - 1] ?? ''}${segment}`;
    prefixes[depth] = path;
    for (const method of methods?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}

describe("the README's route table", () => {
  it('lists every API route Fastify serves, and only those', () => {
    const registered = registeredRoutes(server.app)
      // HEAD is Fastify's own twin of each GET; the pages are listed in their own table.
      .filter((route) => !route.startsWith('HEAD ') && route.split(' ')[1]?.startsWith('/api/'))
      .map((route) => {
        const [method, path = ''] = route.split(' ');
        return `${method} ${openApiPath(path)}`;
      });
    // The tree was read right: every route found is one Fastify knows.
    for (const route of registered) {
      const [method, url = ''] = route.split(' ');
      expect(
        server.app.hasRoute({ method: method as 'GET', url: url.replace(/\{(\w+)\}/g, ':$1') }),
        route,
      ).toBe(true);
    }
    expect(registered).toContain('PATCH /api/users/{name}');
    const documented = tableRoutes(section(readReadme(), 'REST API'));
    expect(new Set(documented).size, 'a route listed twice').toBe(documented.length);
    expect([...documented].sort()).toEqual([...new Set(registered)].sort());
  });
});
