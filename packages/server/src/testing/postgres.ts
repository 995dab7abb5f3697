/**
 * A real PostgreSQL for the server's tests (tooling/postgres starts Debian's), one per test file.
 * Where it cannot run (no root, no apt-get) the file's tests are skipped with the reason as their
 * name; SLIPSTREAM_REQUIRE_POSTGRES (set by .ci/run) makes that a failure instead.
 */

import { postgresUnavailableReason, type RunningPostgres, startPostgres } from '@slipstream/postgres-harness';
import { afterAll, beforeAll, it } from 'vitest';

export const postgresUnavailable = postgresUnavailableReason();
if (postgresUnavailable && process.env.SLIPSTREAM_REQUIRE_POSTGRES) {
  throw new Error(
    `SLIPSTREAM_REQUIRE_POSTGRES is set but a real PostgreSQL cannot run here: ${postgresUnavailable}`,
  );
}

/** Starts PostgreSQL before the file's tests and stops it after; the getter gives the running one. */
export function usePostgres(): () => RunningPostgres {
  if (postgresUnavailable) {
    it.skip(`PostgreSQL tests skipped: ${postgresUnavailable}`, () => {});
    return () => {
      throw new Error(postgresUnavailable);
    };
  }
  let running: RunningPostgres | undefined;
  beforeAll(async () => {
    running = await startPostgres();
  }, 180_000);
  afterAll(async () => {
    await running?.close();
  });
  return () => {
    if (running === undefined) throw new Error('PostgreSQL has not started.');
    return running;
  };
}

let databases = 0;

/** A new empty database on `postgres`, its URL. */
export function freshDatabase(postgres: RunningPostgres, prefix = 'test'): Promise<string> {
  databases += 1;
  return postgres.createDatabase(`${prefix}_${process.pid}_${databases}`);
}
