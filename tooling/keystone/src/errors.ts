/**
 * Thrown when this machine cannot run Keystone and cannot install it either (not root, or no
 * apt-get). Tests turn it into a skip that prints `reason`; every other failure is a real error.
 */
export class KeystoneUnavailableError extends Error {
  readonly kind = 'unavailable';

  constructor(readonly reason: string) {
    super(`Keystone is not available on this machine: ${reason}`);
    this.name = 'KeystoneUnavailableError';
  }
}

/** True for a KeystoneUnavailableError, also one from another copy of this module. */
export function isKeystoneUnavailable(error: unknown): error is KeystoneUnavailableError {
  return error instanceof Error && (error as { kind?: unknown }).kind === 'unavailable';
}
