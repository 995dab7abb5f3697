import { ConnectorError } from '@slipstream/connector-core';
import type { CloudStackClient, Json, RequestOptions } from './client.js';
import { text } from './values.js';

/**
 * Finding VMs by id. listVirtualMachines resolves every id it is given and answers 431 when one of
 * them names nothing it ever knew, while an id of an expunged VM just lists nothing: the
 * connector uses that difference to tell "already terminated" from "never existed".
 */

/** Ids per listVirtualMachines request, to keep URLs short. */
const IDS_PER_REQUEST = 50;

export interface Resolved {
  /** The VMs CloudStack lists, by id. */
  readonly found: ReadonlyMap<string, Json>;
  /** Ids CloudStack knows but no longer lists: expunged (or destroyed, on clouds that hide those). */
  readonly gone: ReadonlySet<string>;
}

/** Every VM of the account. */
export async function listAllVms(client: CloudStackClient, options: RequestOptions): Promise<Json[]> {
  return (await client.list('listVirtualMachines', {}, 'virtualmachine', options)).items;
}

/** The listed VMs among `ids`; ids CloudStack does not list (or never knew) are left out. */
export async function findVms(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<Map<string, Json>> {
  return (await lookUp(client, ids, options)).found;
}

/**
 * The listed VMs among `ids` and those that are gone; NOT_FOUND when CloudStack never knew one of
 * them (or it belongs to another account), before anything is changed.
 */
export async function resolveVms(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<Resolved> {
  const { found, unresolved } = await lookUp(client, ids, options);
  const gone = new Set<string>();
  const unknown: string[] = [];
  for (const id of ids) {
    if (found.has(id)) continue;
    if (!unresolved.has(id)) {
      gone.add(id);
      continue;
    }
    // The batch was refused because of some id: ask for this one alone to learn which.
    try {
      const { value } = await client.request('listVirtualMachines', { id }, options);
      if (Array.isArray(value.virtualmachine) && value.virtualmachine.length > 0) {
        found.set(id, value.virtualmachine[0] as Json);
      } else {
        gone.add(id);
      }
    } catch (error) {
      if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) throw error;
      unknown.push(id);
    }
  }
  if (unknown.length > 0) {
    throw new ConnectorError(
      'NOT_FOUND',
      `CloudStack knows no VM ${unknown.join(', ')} for this account (it never existed, or belongs to another account).`,
    );
  }
  return { found, gone };
}

/**
 * One listVirtualMachines per chunk of ids. When CloudStack refuses a chunk (an id it cannot
 * resolve), the whole account is listed once and filtered instead, and that chunk's missing ids
 * are reported as unresolved.
 */
async function lookUp(
  client: CloudStackClient,
  ids: readonly string[],
  options: RequestOptions,
): Promise<{ found: Map<string, Json>; unresolved: Set<string> }> {
  const found = new Map<string, Json>();
  const unresolved = new Set<string>();
  let everything: Map<string, Json> | undefined;
  for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
    const chunk = ids.slice(start, start + IDS_PER_REQUEST);
    try {
      const { items } = await client.list(
        'listVirtualMachines',
        { ids: chunk.join(',') },
        'virtualmachine',
        options,
      );
      for (const raw of items) {
        const id = text(raw, 'id');
        if (id !== undefined && chunk.includes(id)) found.set(id, raw);
      }
    } catch (error) {
      if (!ConnectorError.hasCode(error, 'INVALID_REQUEST')) throw error;
      everything ??= new Map(
        (await listAllVms(client, options)).flatMap((raw) => {
          const id = text(raw, 'id');
          return id === undefined ? [] : [[id, raw] as const];
        }),
      );
      for (const id of chunk) {
        const raw = everything.get(id);
        if (raw) found.set(id, raw);
        else unresolved.add(id);
      }
    }
  }
  return { found, unresolved };
}
