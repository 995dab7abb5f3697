import { ConnectorError, WireReader } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { FILTER } from './vm.js';
import { poolItems } from './wire.js';

/**
 * The virtual networks of `network.public` and `network.private`, given by id or by name. Names
 * are looked up in the networks the user may use (`one.vnpool.info`), so that a wrong one is
 * reported as the configuration error it is, before anything is created.
 */

export interface ResolvedNetworks {
  /** Network ids, public first, each once. */
  readonly ids: readonly number[];
}

const DIGITS = /^\d+$/;

export async function resolveNetworks(
  context: SessionContext,
  signal: AbortSignal | undefined,
): Promise<ResolvedNetworks> {
  const wanted = (['public', 'private'] as const).flatMap((kind) => {
    const reference = context.settings.networks[kind];
    return reference === undefined ? [] : [{ kind, reference }];
  });
  if (wanted.every(({ reference }) => DIGITS.test(reference))) {
    return { ids: [...new Set(wanted.map(({ reference }) => Number(reference)))] };
  }
  const document = await context.client.document('one.vnpool.info', [FILTER.all, -1, -1], { signal });
  const networks = poolItems(document, 'VNET_POOL', 'VNET', 'one.vnpool.info').map((item) => {
    const wire = new WireReader(item);
    return { id: wire.number('ID'), name: wire.string('NAME') };
  });
  const ids = wanted.map(({ kind, reference }) => {
    if (DIGITS.test(reference)) return Number(reference);
    const matches = networks.filter((network) => network.name === reference);
    if (matches.length === 1 && matches[0]?.id !== undefined) return matches[0].id;
    const known = networks.map((network) => `${network.id} (${network.name})`).join(', ') || 'none';
    throw new ConnectorError(
      'CONFIG_INVALID',
      matches.length > 1
        ? `Parameter "network.${kind}" is "${reference}", which names ${matches.length} virtual networks; give the network's id instead (${matches.map((m) => m.id).join(', ')}).`
        : `Parameter "network.${kind}" is "${reference}", which is not a virtual network this user may use; use an id or name of: ${known}.`,
    );
  });
  return { ids: [...new Set(ids)] };
}
