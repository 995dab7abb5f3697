import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type BootedServer, bootServer } from '../boot/boot.js';
import { createServerLogger } from '../logging.js';
import { hashPassword } from '../security/passwords.js';
import { type InitialConfiguration, readServerSettings } from '../settings.js';
import type { Role, UserRecord } from '../store/types.js';
import { createApp } from './app.js';

/** Test helper: a server booted in a temp home with the app on top, driven through `inject`. */

/** Where the server's connector packages are installed: this package (connector-local is a dev dependency). */
export const FROM = new URL('../../', import.meta.url);

export interface TestServer {
  readonly home: string;
  readonly booted: BootedServer;
  readonly app: FastifyInstance;
  /** Every answer body, for the checks that no secret ever leaves the server. */
  readonly bodies: string[];
  /** Every log line, likewise. */
  readonly logLines: string[];
  send(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Logs in; the headers a cookie session sends (cookie and CSRF token). */
  login(username: string, password: string): Promise<Record<string, string>>;
  createUser(name: string, password: string, role?: Role): Promise<UserRecord>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Prefix of the temp home directory. */
  readonly name: string;
  readonly adminPassword: string;
  readonly connectors: string;
  /** Replaces the first start's configuration (by default: the connector list only). */
  readonly initial?: InitialConfiguration | undefined;
  /** More settings from the environment (SLIPSTREAM_TRUST_PROXY, say). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Runs on the empty home before the server boots, e.g. to leave a store of an older version there. */
  readonly prepareHome?: ((home: string) => void | Promise<void>) | undefined;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), `slipstream-${options.name}-`));
  await options.prepareHome?.(home);
  const settings = readServerSettings({
    env: {
      SLIPSTREAM_HOME: home,
      SLIPSTREAM_ADMIN_PASSWORD: options.adminPassword,
      SLIPSTREAM_CONNECTORS: options.connectors,
      ...options.env,
    },
    argv: [],
    cwd: home,
  });
  const booted = await bootServer({
    settings: options.initial ? { ...settings, initial: options.initial } : settings,
    from: FROM,
    env: {},
  });
  await booted.ensureAdministrator();
  const logLines: string[] = [];
  const bodies: string[] = [];
  const logger = createServerLogger({
    level: 'debug',
    destination: { write: (line: string) => logLines.push(line) },
  });
  const app = await createApp({ booted, settings, logger, from: FROM });
  const send = async (request: InjectOptions): Promise<LightMyRequestResponse> => {
    const response = await app.inject(request);
    bodies.push(response.body);
    return response;
  };
  return {
    home,
    booted,
    app,
    bodies,
    logLines,
    send,
    async login(username, password) {
      const response = await send({
        method: 'POST',
        url: '/api/login',
        payload: { name: username, password },
      });
      expect(response.statusCode).toBe(200);
      const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
      return { cookie, 'x-csrf-token': response.json().csrfToken };
    },
    async createUser(name, password, role = 'user') {
      return booted.store.createUser({ name, role, passwordHash: await hashPassword(password) });
    },
    async close() {
      await app.close();
      await booted.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
