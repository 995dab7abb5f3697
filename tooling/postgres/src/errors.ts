/**
 * Thrown when this machine has no PostgreSQL and cannot install it either (not root, or no
 * apt-get). Tests turn it into a skip that prints `reason`; every other failure is a real error.
 */
export class PostgresUnavailableError extends Error {
  // Not keystone-harness's 'unavailable': a test using both harnesses must tell the two apart.
  readonly kind = 'postgres-unavailable';

  constructor(readonly reason: string) {
    super(`PostgreSQL is not available on this machine: ${reason}`);
    this.name = 'PostgresUnavailableError';
  }
}

/** True for a PostgresUnavailableError, also one from another copy of this module. */
export function isPostgresUnavailable(error: unknown): error is PostgresUnavailableError {
  return error instanceof Error && (error as { kind?: unknown }).kind === 'postgres-unavailable';
}
