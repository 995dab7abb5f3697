import type { ConnectorRegistry } from '@slipstream/connector-core';
import { ServerError } from './errors.js';

/** NOT_FOUND for an instance this boot did not load, naming the ones it did. */
export function assertLoadedInstance(
  registry: Pick<ConnectorRegistry, 'has' | 'instances'>,
  instance: string,
): void {
  if (registry.has(instance)) return;
  const loaded = registry.instances.map((info) => info.name);
  throw new ServerError(
    'NOT_FOUND',
    `There is no loaded connector instance "${instance}"${loaded.length > 0 ? `; loaded: ${loaded.join(', ')}` : ''}. See GET /api/connectors.`,
    { instance },
  );
}
