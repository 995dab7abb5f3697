import { readId } from '@slipstream/connector-core';
import { unexpectedAnswer } from './errors.js';

/**
 * The API v2 resources the connector reads, with the specification's field names. Everything is
 * optional except ids: answers are checked where they are used, so that a missing field degrades
 * one value instead of failing a whole listing. Instances are not typed here: vm.ts reads them
 * field by field through core's WireReader (id, name, state, created-at, instance-type.id,
 * template.id, public-ip, ipv6-address, labels).
 */

export interface ExoscaleOperation {
  readonly id: string;
  /** pending | success | failure | timeout */
  readonly state: string;
  readonly reference?: { readonly id?: string; readonly link?: string; readonly command?: string };
  readonly reason?: string;
  readonly message?: string;
}

export interface ExoscaleTemplate {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly family?: string;
  /** Bytes. */
  readonly size?: number;
  readonly 'default-user'?: string;
  readonly visibility?: string;
  readonly zones?: readonly string[];
}

export interface ExoscaleInstanceType {
  readonly id: string;
  readonly size?: string;
  readonly family?: string;
  readonly cpus?: number;
  /** Bytes. */
  readonly memory?: number;
  readonly gpus?: number;
  readonly authorized?: boolean;
  readonly zones?: readonly string[];
}

export interface ExoscaleZone {
  readonly name?: string;
  readonly 'api-endpoint'?: string;
}

export interface ExoscaleSshKey {
  readonly name?: string;
  readonly fingerprint?: string;
}

export interface ExoscaleSecurityGroup {
  readonly id: string;
  readonly name?: string;
}

/**
 * The elements of a list answer (`{"instances": [...]}`), as they are: instances are read one by
 * one through core's WireReader, so that one odd item does not fail the listing.
 */
export function listOf(data: unknown, field: string, what: string): readonly unknown[] {
  const list = (data as Record<string, unknown> | null | undefined)?.[field];
  // Exoscale leaves an empty list out of some answers.
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw unexpectedAnswer(what, `"${field}" is not a list`);
  return list;
}

/** The items of a list answer, keeping only those with a string id. */
export function itemsOf<T extends { readonly id: string }>(data: unknown, field: string, what: string): T[] {
  return listOf(data, field, what).filter(
    (item): item is T => typeof item === 'object' && item !== null && typeof (item as T).id === 'string',
  );
}

/** The items of a list whose elements have no id (zones, SSH keys). */
export function entriesOf<T>(data: unknown, field: string, what: string): T[] {
  return listOf(data, field, what).filter((item): item is T => typeof item === 'object' && item !== null);
}

/** An operation answer, checked: it must have an id and a state. */
export function operationOf(data: unknown, what: string): ExoscaleOperation {
  const operation = data as Partial<ExoscaleOperation> | null | undefined;
  if (typeof operation?.id !== 'string' || typeof operation.state !== 'string') {
    throw unexpectedAnswer(what, 'the answer is not an operation (no id or state)');
  }
  return operation as ExoscaleOperation;
}

/**
 * An instance answer, checked only for what addresses it, a readable id (a number is read as its
 * decimal string); its other fields are read tolerantly when it is mapped to a VM.
 */
export function instanceOf(data: unknown, what: string): unknown {
  if (readId((data as Record<string, unknown> | null | undefined)?.id) === undefined) {
    throw unexpectedAnswer(what, 'the answer is not an instance (no id)');
  }
  return data;
}
