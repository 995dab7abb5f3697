import type { Vm } from './contract.js';
import type { Logger } from './logger.js';

/**
 * Tolerant reading of what clouds answer. Clouds drift from their documentation: older
 * Nova-compatible clouds answer `"id": 12065` where the API reference documents a string, and one
 * odd item must not fail a listing of thousands. Connectors read the objects of a cloud's answer
 * through a {@link WireReader}, which notes each field it cannot read instead of throwing, and
 * list VMs through {@link readVms}, which keeps every VM it can identify.
 */

/** A documented string id: a non-empty string as is, an integer as its decimal string. */
export function readId(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One object of a cloud's answer, read field by field. A field that is absent or null reads as
 * undefined; a field present with another shape than documented reads as undefined too, and is
 * noted in `unread` by its path (`addresses.private`), so that the caller can say which.
 */
export class WireReader {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly #path: string;
  readonly #unread: string[];

  constructor(value: unknown, path = '', unread: string[] = []) {
    this.#path = path;
    this.#unread = unread;
    this.raw = isRecord(value) ? value : {};
    if (!isRecord(value)) this.#unread.push(path === '' ? '(the item is not an object)' : path);
  }

  /** Paths of the fields that were present but could not be read, nested objects' included. */
  get unread(): readonly string[] {
    return this.#unread;
  }

  #present(key: string): unknown {
    const value = this.raw[key];
    return value === null ? undefined : value;
  }

  #note(key: string): undefined {
    this.#unread.push(this.#path === '' ? key : `${this.#path}.${key}`);
    return undefined;
  }

  /** A string id, or a number standing for one (read as its decimal string). */
  id(key: string): string | undefined {
    const value = this.#present(key);
    if (value === undefined || value === '') return undefined;
    return readId(value) ?? this.#note(key);
  }

  string(key: string): string | undefined {
    const value = this.#present(key);
    if (value === undefined || typeof value === 'string') return value;
    return this.#note(key);
  }

  /** A number, also when sent as a numeric string. */
  number(key: string): number | undefined {
    const value = this.#present(key);
    if (value === undefined || value === '') return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(number) ? number : this.#note(key);
  }

  /** A boolean, also when sent as the text `true` or `false`. */
  boolean(key: string): boolean | undefined {
    const value = this.#present(key);
    if (value === undefined || typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.#note(key);
  }

  /** A nested object, read the same way; its unreadable fields are noted here too. */
  object(key: string): WireReader | undefined {
    const value = this.#present(key);
    if (value === undefined) return undefined;
    if (!isRecord(value)) return this.#note(key);
    return new WireReader(value, this.#path === '' ? key : `${this.#path}.${key}`, this.#unread);
  }

  /** An array; absent is empty. */
  list(key: string): readonly unknown[] {
    const value = this.#present(key);
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.#note(key);
    return [];
  }

  /** An object of string values (tags, labels, metadata); a value of another type is left out and noted. */
  strings(key: string): Record<string, string> {
    const value = this.#present(key);
    const result: Record<string, string> = {};
    if (value === undefined) return result;
    if (!isRecord(value)) return this.#note(key) ?? result;
    for (const [name, item] of Object.entries(value)) {
      if (typeof item === 'string') result[name] = item;
      else this.#note(`${key}.${name}`);
    }
    return result;
  }
}

export interface ReadVmsOptions {
  readonly logger: Logger;
  /** The listing, for the warning: "Nova list-servers-detail". */
  readonly what: string;
}

/** How many VM ids a warning about unreadable items names. */
const NAMED_IN_WARNING = 10;

/**
 * Every VM of a listing, each item read by `read`. An item with fields that cannot be read is kept
 * with state `unknown` and what could be read; an item without a readable id cannot be addressed
 * and is left out; an item `read` fails on is kept as an `unknown` VM with its id and name. Each
 * such case is logged once per listing, as a warning naming the fields.
 */
export function readVms(
  items: readonly unknown[],
  read: (item: WireReader) => Vm,
  options: ReadVmsOptions,
): Vm[] {
  const vms: Vm[] = [];
  const degraded: string[] = [];
  const fields = new Set<string>();
  let unidentified = 0;
  for (const item of items) {
    const wire = new WireReader(item);
    let vm: Vm;
    let failure: string | undefined;
    try {
      vm = read(wire);
    } catch (error) {
      failure = `(${error instanceof Error ? error.message : String(error)})`;
      vm = unreadableVm(wire);
    }
    if (failure === undefined && wire.unread.length === 0) {
      if (vm.id !== '') {
        vms.push(vm);
        continue;
      }
      fields.add('id');
    }
    for (const field of wire.unread) fields.add(field);
    if (failure !== undefined) fields.add(failure);
    if (vm.id === '') {
      unidentified += 1;
      continue;
    }
    degraded.push(vm.id);
    vms.push({ ...vm, state: 'unknown' });
  }
  if (degraded.length > 0 || unidentified > 0) {
    options.logger.warn(
      {
        listing: options.what,
        fields: [...fields],
        unknownState: degraded.length,
        vms: degraded.slice(0, NAMED_IN_WARNING),
        leftOut: unidentified,
      },
      `${options.what}: some fields could not be read (${[...fields].join(', ')}); ${degraded.length} VM(s) are shown in state unknown${unidentified > 0 ? `, ${unidentified} without a readable id are left out` : ''}`,
    );
  }
  return vms;
}

function unreadableVm(wire: WireReader): Vm {
  return {
    id: readId(wire.raw.id) ?? '',
    name: typeof wire.raw.name === 'string' ? wire.raw.name : '',
    state: 'unknown',
    rawState: '',
    publicIps: [],
    privateIps: [],
    tags: {},
  };
}
