import { createHash } from 'node:crypto';
import { formatConnectorList, inspectConnectorList } from '@slipstream/connector-core';

/**
 * What a boot loaded, reduced to a digest so the server can later tell whether the stored
 * configuration still matches it (restart required) without keeping secret values around.
 * Secrets are compared opened: each save seals them with a fresh IV, so their blobs always differ.
 */

/** The connector list in canonical form: spacing and case differences do not need a restart. */
export function canonicalConnectorList(list: string): string {
  const { entries, problems } = inspectConnectorList(list);
  return problems.length === 0 ? formatConnectorList(entries) : list.trim();
}

/** The instance names a connector list loads: the only sections a boot reads. */
export function listedInstances(list: string): string[] {
  return inspectConnectorList(list).entries.map((entry) => entry.instance);
}

/** A digest of the list and the opened parameters of its instances. */
export function configurationDigest(
  list: string,
  parameters: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): string {
  const sections: Record<string, unknown> = {};
  for (const instance of listedInstances(list)) {
    sections[instance] = Object.hasOwn(parameters, instance) ? parameters[instance] : {};
  }
  return createHash('sha256')
    .update(canonicalJson({ list: canonicalConnectorList(list), sections }))
    .digest('hex');
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
