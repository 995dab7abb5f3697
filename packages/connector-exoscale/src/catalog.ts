import { ConnectorError, type Image, type Size } from '@slipstream/connector-core';
import type { ExoscaleClient } from './client.js';
import { type ExoscaleInstanceType, type ExoscaleTemplate, itemsOf } from './wire.js';

/**
 * Templates and instance types of one zone, listed once and kept for a few minutes per session,
 * and resolved from what users type: a template by id or exact name, an instance type by id or
 * `family.size` (`standard.medium`). A reference not found refreshes the lists once, so that a
 * template registered a minute ago is found without waiting for the cache to expire.
 *
 * A listing is shared by every call that needs it while it runs, so it does not take any one
 * caller's AbortSignal: one caller giving up must not fail the others. Core's guard still ends an
 * aborted call at once.
 */

const CACHE_MS = 5 * 60_000;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

interface Cached<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

export class ZoneCatalog {
  readonly #client: ExoscaleClient;
  readonly #zone: string;
  #templates: Cached<ExoscaleTemplate[]> | undefined;
  #types: Cached<ExoscaleInstanceType[]> | undefined;

  constructor(client: ExoscaleClient, zone: string) {
    this.#client = client;
    this.#zone = zone;
  }

  /** Public and private templates of the zone, public first. */
  templates(fresh = false): Promise<ExoscaleTemplate[]> {
    if (fresh || !this.#templates || Date.now() - this.#templates.at > CACHE_MS) {
      const list = (visibility: string) =>
        this.#client
          .json<unknown>({
            operation: 'list-templates',
            method: 'GET',
            path: '/template',
            query: { visibility },
          })
          .then((data) => itemsOf<ExoscaleTemplate>(data, 'templates', 'list-templates'));
      const value = Promise.all([list('public'), list('private')]).then(([pub, priv]) => [...pub, ...priv]);
      this.#templates = { at: Date.now(), value };
      // A failed listing must not stay cached.
      value.catch(() => {
        if (this.#templates?.value === value) this.#templates = undefined;
      });
    }
    return this.#templates.value;
  }

  /** Instance types the organization may use in this zone. */
  instanceTypes(fresh = false): Promise<ExoscaleInstanceType[]> {
    if (fresh || !this.#types || Date.now() - this.#types.at > CACHE_MS) {
      const value = this.#client
        .json<unknown>({ operation: 'list-instance-types', method: 'GET', path: '/instance-type' })
        .then((data) =>
          itemsOf<ExoscaleInstanceType>(data, 'instance-types', 'list-instance-types').filter(
            (type) =>
              type.authorized !== false && (type.zones === undefined || type.zones.includes(this.#zone)),
          ),
        );
      this.#types = { at: Date.now(), value };
      value.catch(() => {
        if (this.#types?.value === value) this.#types = undefined;
      });
    }
    return this.#types.value;
  }

  async resolveTemplate(reference: string): Promise<ExoscaleTemplate> {
    const find = (templates: ExoscaleTemplate[]): ExoscaleTemplate[] => {
      const byId = templates.filter((t) => t.id === reference);
      return byId.length > 0 ? byId : templates.filter((t) => t.name === reference);
    };
    let found = find(await this.templates());
    if (found.length === 0) found = find(await this.templates(true));
    if (found.length > 1) {
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Several templates of zone ${this.#zone} are named "${reference}" (${found.map((t) => t.id).join(', ')}); launch with the template id instead.`,
      );
    }
    const [template] = found;
    if (!template) {
      const names = (await this.templates()).map((t) => t.name ?? t.id).slice(0, 10);
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Template "${reference}" does not exist in zone ${this.#zone}: give a template id or its exact name, e.g. ${names.map((n) => `"${n}"`).join(', ')}.`,
      );
    }
    return template;
  }

  async resolveInstanceType(reference: string): Promise<ExoscaleInstanceType> {
    const wanted = reference.trim().toLowerCase();
    const find = (types: ExoscaleInstanceType[]) =>
      types.find((type) => type.id === reference || instanceTypeName(type).toLowerCase() === wanted);
    const found = find(await this.instanceTypes()) ?? find(await this.instanceTypes(true));
    if (!found) {
      const names = (await this.instanceTypes()).map(instanceTypeName);
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Instance type "${reference}" is not available in zone ${this.#zone}: give an id or one of ${names.join(', ')}.`,
      );
    }
    return found;
  }
}

/** `family.size`, the name Exoscale's CLI and console use: `standard.medium`. */
export function instanceTypeName(type: ExoscaleInstanceType): string {
  return type.family && type.size ? `${type.family}.${type.size}` : type.id;
}

/** The contract's Image; the zone is set because Exoscale lists templates per zone. */
export function toImage(template: ExoscaleTemplate, zone: string): Image {
  return {
    id: template.id,
    name: template.name ?? template.id,
    ...(template.description ? { description: template.description } : {}),
    ...(template.family ? { os: template.family } : {}),
    zone,
  };
}

export function toSize(type: ExoscaleInstanceType): Size {
  return {
    id: type.id,
    name: instanceTypeName(type),
    ...(typeof type.cpus === 'number' ? { cpus: type.cpus } : {}),
    ...(typeof type.memory === 'number' ? { memoryMb: Math.round(type.memory / MIB) } : {}),
  };
}

/** The smallest disk a template allows, in GiB (its size, rounded up). */
export function templateDiskGb(template: ExoscaleTemplate): number {
  return typeof template.size === 'number' && template.size > 0 ? Math.ceil(template.size / GIB) : 0;
}

/** `preferred` (an id or name) first, the rest in the API's order. */
export function preferredFirst<T>(
  items: readonly T[],
  preferred: string | undefined,
  matches: (item: T, ref: string) => boolean,
): T[] {
  if (preferred === undefined) return [...items];
  const index = items.findIndex((item) => matches(item, preferred));
  if (index < 0) return [...items];
  return [items[index] as T, ...items.slice(0, index), ...items.slice(index + 1)];
}
