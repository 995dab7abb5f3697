import { afterAll } from 'vitest';
import { describeConnector, vitestTimeout } from './suite.js';
import { registerAbort } from './suites/abort.js';
import { registerCatalog } from './suites/catalog.js';
import { registerCredentials } from './suites/credentials.js';
import { registerDefinition } from './suites/definition.js';
import { registerLifecycle } from './suites/lifecycle.js';
import { registerParameters } from './suites/parameters.js';
import { registerSecrets } from './suites/secrets.js';
import { registerUnknownIds } from './suites/unknown-ids.js';
import type { ConformanceTarget, TargetSource } from './target.js';

/** Every conformance suite, in the order describeConformance runs them. */
const SUITES: readonly ((source: TargetSource<ConformanceTarget>) => void)[] = [
  registerDefinition,
  registerParameters,
  registerCredentials,
  registerCatalog,
  registerLifecycle,
  registerUnknownIds,
  registerAbort,
  registerSecrets,
];

/**
 * Registers every conformance suite (vitest describe/it) for one connector: definition, instance
 * parameters, credentials, catalog, VM lifecycle, unknown ids, abort and secrets. Call it at the
 * top level of a test file. Pass the target directly, or a function that prepares it (start a
 * simulator and return its URL); each suite calls the function in its own `beforeAll` and tears
 * its target down in its own `afterAll`.
 */
export function describeConformance(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => {
    if (typeof target !== 'object' || target === null || typeof target.teardown !== 'function') {
      // A function gives each suite a target of its own; a malformed target is reported by each suite.
      for (const register of SUITES) register(target);
      return;
    }
    // One object serves every suite, so its teardown (stopping the one simulator) waits for the last.
    const { teardown, ...shared } = target;
    for (const register of SUITES) register(shared);
    afterAll(() => teardown(), vitestTimeout(target, 1));
  });
}
