import type { LoadProblem } from '@slipstream/connector-core';
import * as serverLibrary from '@slipstream/server';
import { EXIT } from './command.js';
import { CliError } from './errors.js';

/**
 * Writing the stored connector list goes through the server's own `setStoredConnectors`, which
 * validates a list as the configuration page does and throws ServerError CONFIG_INVALID listing
 * every problem. It is looked up at run time so that this package builds against a server that
 * does not export it yet; such a server gets a clear refusal instead of a crash.
 */
export interface StoredListChange {
  readonly home: string;
  readonly list: string;
  readonly from: string;
  /** Where SLIPSTREAM_SECRET_KEY is read from, to open the store's sealed values. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

export type SetStoredConnectors = (
  options: StoredListChange,
) => Promise<{ list: string; problems: LoadProblem[] }>;

export function setStoredConnectors(
  options: StoredListChange,
): Promise<{ list: string; problems: LoadProblem[] }> {
  const write = (serverLibrary as unknown as { setStoredConnectors?: SetStoredConnectors })
    .setStoredConnectors;
  if (typeof write !== 'function') {
    throw new CliError(
      EXIT.EXTERNAL,
      'SERVER_TOO_OLD',
      'This @slipstream/server cannot write the stored connector list (it has no setStoredConnectors); update @slipstream/server, or add the instance on the configuration page.',
    );
  }
  return write(options);
}
