import { ConnectorError } from '@slipstream/connector-core';
import { captureLogs } from '@slipstream/connector-testkit';
import type { OpenNebulaClient } from '../client.js';
import type { SessionContext } from '../context.js';
import { settingsFrom } from '../parameters.js';

/** Shared by the unit tests that drive one module over a stand-in client. Not exported. */

/** A session context over `client`: one size, fast polls; `parameters` are added to or replace those. */
export function contextFor(
  client: OpenNebulaClient,
  options: {
    readonly pageSize?: number;
    readonly pageWorkers?: number;
    readonly parameters?: Record<string, unknown>;
  } = {},
): SessionContext {
  return {
    client,
    settings: settingsFrom({
      endpoint: 'http://one.invalid/RPC2',
      'instance.types': 'small=1:2048',
      'cpu.ratio': '0.5',
      contextualization: 'one-context',
      'poll.interval.ms': 10,
      'wait.timeout.ms': 1000,
      ...options.parameters,
    }),
    logger: captureLogs().logger,
    zone: undefined,
    pageSize: options.pageSize ?? 100,
    pageWorkers: options.pageWorkers ?? 5,
  };
}

/** The ConnectorError `call` fails with; anything else fails the test. */
export async function failure(call: () => Promise<unknown>): Promise<ConnectorError> {
  try {
    await call();
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}
