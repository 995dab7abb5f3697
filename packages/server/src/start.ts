/**
 * A running server: boot (store, key, first start, connector instances), the HTTP app listening on
 * HOST:PORT, and the reconciliation of launches left unfinished, at boot and then periodically.
 * The command line (cli.ts), the end-to-end tests and the benchmarks all start the server through
 * this one function.
 */

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type BootedServer, bootServer } from './boot/boot.js';
import { createApp } from './http/app.js';
import { createServerLogger } from './logging.js';
import { FORGET_AFTER_MS } from './security/rate-limit.js';
import { LAUNCH_LEASE_MS, RECONCILE_INTERVAL_MS, type ServerSettings } from './settings.js';
import { type ReconcileReport, reconcile } from './vms/reconcile.js';

export interface StartOptions {
  readonly settings: ServerSettings;
  /** Where connector packages are installed (see BootOptions.from). */
  readonly from: string | URL;
  /** The server's pino logger; one at `settings.logLevel` on stdout by default. */
  readonly logger?: Logger | undefined;
  /** Where SLIPSTREAM_SECRET_KEY is read from; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

export interface RunningServer {
  readonly booted: BootedServer;
  readonly app: FastifyInstance;
  /** The server's logger (the HTTP framework's own is quieter on a terminal). */
  readonly logger: Logger;
  /** Where the server answers, with the port actually bound (PORT=0 picks a free one). */
  readonly url: string;
  /**
   * The reconciliation of interrupted launches, started once the server listens: a slow or
   * unreachable cloud must not keep the server from answering.
   */
  readonly reconciled: Promise<ReconcileReport>;
  /** The password generated for `admin` when this start created it: print it, never log it. */
  readonly generatedAdminPassword?: string | undefined;
  /**
   * Stops listening and stops reconciling; cloud calls still running after {@link STOP_GRACE_MS}
   * are abandoned (their launches stay `launching`, settled at the next start); then closes the
   * instances and the store.
   */
  close(): Promise<void>;
}

/** How long a stop lets cloud calls in flight finish before abandoning them. */
export const STOP_GRACE_MS = 2_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { settings } = options;
  const logger =
    options.logger ?? createServerLogger({ level: settings.logLevel, format: settings.logFormat });
  const booted = await bootServer({ settings, from: options.from, logger, env: options.env });
  let app: FastifyInstance | undefined;
  let generatedAdminPassword: string | undefined;
  try {
    app = await createApp({ booted, settings, logger, from: options.from });
    await app.listen({ host: settings.host, port: settings.port });
    generatedAdminPassword = await booted.ensureAdministrator();
  } catch (error) {
    await app?.close();
    await booted.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const reconcileOnce = (): Promise<ReconcileReport> =>
    reconcile(booted, { logger }).catch((error: unknown) => {
      // Records stay `launching` and are retried at the next round; the server itself is fine.
      logger.error({ err: error }, 'reconciling interrupted launches failed');
      return { resolved: [], failed: [], pending: [] } satisfies ReconcileReport;
    });
  // Rows nobody needs any more: expired login sessions, login limits idle past their memory.
  const tidy = (): Promise<void> =>
    Promise.all([
      booted.store.deleteExpiredSessions(new Date().toISOString()),
      booted.store.deleteLoginThrottles(Date.now() - FORGET_AFTER_MS),
    ]).then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error }, 'could not delete expired sessions and login limits'),
    );
  const reconciled = reconcileOnce();
  // Then periodically, for launches whose answer was lost while the server ran; one round at a time.
  let round: Promise<unknown> = reconciled;
  // At least twice per lease, so that a launch whose replica died is finished soon after its lease ends.
  const sweepMs = Math.min(
    settings.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS,
    Math.ceil((settings.launchLeaseMs ?? LAUNCH_LEASE_MS) / 2),
  );
  const timer = setInterval(() => {
    round = round.then(reconcileOnce).then(tidy);
  }, sweepMs);
  timer.unref();
  const running = app;
  let closing: Promise<void> | undefined;
  return {
    booted,
    app,
    logger,
    url: `http://${host}:${address.port}`,
    reconciled,
    generatedAdminPassword,
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        try {
          // Requests waiting on a hanging cloud end once their calls are abandoned.
          await Promise.all([running.close(), booted.calls.stop(STOP_GRACE_MS)]);
          await round;
        } finally {
          await booted.close();
        }
      })();
      return closing;
    },
  };
}
