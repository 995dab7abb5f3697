/**
 * Asking the cloud whether credentials open it, before they are saved. Credentials the cloud
 * refuses are not saved: a save that answers "ok" and fails at the first launch leaves the user
 * to find out later, from a less clear error. A cloud that cannot answer does not block a save:
 * the credentials may well be right, and the user is told they were not checked.
 */

import { ConnectorError, type ConnectorRegistry, type ErrorCode } from '@slipstream/connector-core';
import { ServerError } from '../errors.js';
import type { CloudCalls } from '../vms/deadlines.js';

/** What the cloud says when the credentials themselves are wrong, rather than the cloud unwell. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set(['AUTH_FAILED', 'CREDENTIALS_INVALID', 'PERMISSION_DENIED']);

export type CredentialsCheck =
  | { readonly checked: true }
  | {
      readonly checked: false;
      /** Why they could not be checked, for the user; never a secret. */
      readonly warning: string;
      /** What went wrong, for the server log. */
      readonly cause: unknown;
    };

/**
 * Opens a session with `values` and asks the cloud to accept them, within the deadline of a
 * listing call (a save is as interactive as a listing). CREDENTIALS_INVALID when the cloud refuses
 * them; `checked: false` with a warning when it could not say.
 */
export async function checkWithCloud(
  sources: { readonly registry: ConnectorRegistry; readonly calls: CloudCalls },
  instance: string,
  values: Readonly<Record<string, unknown>>,
): Promise<CredentialsCheck> {
  try {
    await sources.calls.run(instance, 'list', async (signal) => {
      const session = await sources.registry.instance(instance).session(values);
      try {
        await session.checkCredentials({ signal });
      } finally {
        // A throwaway session: the next request opens its own from the saved credentials.
        void session.close?.().catch(() => undefined);
      }
    });
    return { checked: true };
  } catch (error) {
    if (ConnectorError.is(error) && REFUSALS.has(error.code)) {
      // Connector messages are scrubbed of secrets by core's session guard; they say what the cloud said.
      throw new ServerError(
        'CREDENTIALS_INVALID',
        `The credentials for "${instance}" were not saved: the cloud refused them (${error.code}): ${error.message} Check them (a key of another account or region, a mistyped secret?) and save them again.`,
        { instance },
      );
    }
    const reason = ConnectorError.is(error)
      ? `${error.code}: ${error.message.replace(/\.$/, '')}`
      : 'an unexpected error; see the server log';
    return {
      checked: false,
      warning: `Saved, but not checked: "${instance}" could not be asked whether it accepts them (${reason}). If they are wrong, launches and listings on "${instance}" will say so; save them again then.`,
      cause: error,
    };
  }
}
