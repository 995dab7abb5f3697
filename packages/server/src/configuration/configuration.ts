/**
 * The configuration an administrator edits: the "SlipStream Basics" section (the connector list and
 * server settings) and one section per listed connector instance. Secret parameters are write-only:
 * they are shown as `{ "set": true }`, kept when a save omits them or sends `{ "set": true }`, and
 * sealed with the server's key when a new value is given. A save is validated as the next boot
 * would load it (core's parser and loader against the installed packages) and refused with every
 * problem before anything is stored.
 */

import {
  formatProblems,
  inspectConnectorList,
  isSecretField,
  type LoadProblem,
  loadConnectors,
  type ParameterSpec,
  type Problem,
} from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { problemView, ServerError } from '../errors.js';
import type { SecretBox } from '../security/secret-box.js';
import { instanceCountProblem, MAX_INSTANCES } from '../settings.js';
import type { JsonValue, StoredConfiguration, StoredValue, StoredValues } from '../store/types.js';
import { installedParameterSpecs } from './connector-specs.js';
import { parameterAad } from './instance-values.js';

export interface ConfigurationSources {
  readonly booted: Pick<BootedServer, 'store' | 'box' | 'restartRequired'>;
  /** Where connector packages are installed, as given to the boot: a new list is loaded against it. */
  readonly from: string | URL;
  /** Most instances a list may have; MAX_INSTANCES by default. */
  readonly maxInstances?: number | undefined;
}

/** The configuration as the page and the API show it: secret values as `{ "set": true }`. */
export interface ConfigurationView {
  readonly basics: { readonly connectors: string } & Readonly<Record<string, string>>;
  readonly instances: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly restartRequired: boolean;
}

/** What a set secret looks like in answers, and what a save sends to keep it. */
const SET_MARKER = { set: true } as const;

export interface SubmittedConfiguration {
  readonly basics: { readonly connectors: string } & Readonly<Record<string, string>>;
  readonly instances: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

type SpecsOf = (connector: string) => Promise<readonly ParameterSpec[] | undefined>;

/**
 * Why a JSON value does not have its spec's type, or undefined. The page and the API send typed
 * JSON, so an integer comes as a number and a flag as true/false: core's loader also reads text
 * ("3"), as a configuration file gives it, and would store the text as it came.
 */
function strictTypeProblem(type: ParameterSpec['type'] | undefined, value: unknown): string | undefined {
  if (value === null || value === '') return undefined;
  if (type === 'integer' && typeof value !== 'number') {
    return `is an integer; send it as a JSON number (3, not "3"); got ${JSON.stringify(value).slice(0, 40)}.`;
  }
  if (type === 'boolean' && typeof value !== 'boolean') {
    return `is true or false; send it as a JSON boolean; got ${JSON.stringify(value).slice(0, 40)}.`;
  }
  return undefined;
}

function isSetMarker(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    (value as { set?: unknown }).set === true
  );
}

/** The instance → connector of a list's valid entries. */
function connectorsOf(list: string): Map<string, string> {
  return new Map(inspectConnectorList(list).entries.map((entry) => [entry.instance, entry.connector]));
}

/** Spec lookups for one request: each connector's package is read once. */
function specsLookup(from: string | URL): SpecsOf {
  const cache = new Map<string, Promise<readonly ParameterSpec[] | undefined>>();
  const directory = from instanceof URL ? from.href : from;
  return (connector) => {
    let found = cache.get(connector);
    if (found === undefined) {
      found = installedParameterSpecs(connector, directory);
      cache.set(connector, found);
    }
    return found;
  };
}

/**
 * One stored section as the page shows it: secrets (sealed, or plain under a secret spec) as set.
 * Without specs (the connector is not installed) any value may be a secret, stored plain because
 * the first start could not tell: every value shows as set.
 */
function sectionView(
  values: StoredValues,
  specs: readonly ParameterSpec[] | undefined,
): Record<string, unknown> {
  const secretKeys = new Set((specs ?? []).filter(isSecretField).map((spec) => spec.key));
  const view: Record<string, unknown> = {};
  for (const [key, stored] of Object.entries(values)) {
    const hidden = specs === undefined || stored.kind === 'secret' || secretKeys.has(key);
    view[key] = hidden ? SET_MARKER : stored.value;
  }
  return view;
}

interface MergedSection {
  /** What the loader validates: secrets opened. Never log. */
  readonly raw: Record<string, unknown>;
  /** What is stored when the save is accepted: secrets sealed. */
  readonly stored: Record<string, StoredValue>;
  /** Stored secrets that no longer open: reported so the administrator enters them again. */
  readonly problems: LoadProblem[];
}

/**
 * A submitted section merged with the stored one. Values of secret specs: `{ "set": true }` or
 * absent keeps the stored value, `""` or null clears it, anything else is the new value (sealed
 * when it is text, a number or true/false; other types are left for the validation to refuse without quoting them).
 */
function mergeSection(
  instance: string,
  submitted: Readonly<Record<string, unknown>>,
  previous: StoredValues,
  specs: readonly ParameterSpec[],
  box: SecretBox,
): MergedSection {
  const secretKeys = new Set(specs.filter(isSecretField).map((spec) => spec.key));
  const raw: Record<string, unknown> = {};
  const stored: Record<string, StoredValue> = {};
  const problems: LoadProblem[] = [];
  const typeOf = new Map(specs.map((spec) => [spec.key, spec.type]));
  for (const [key, value] of Object.entries(submitted)) {
    if (secretKeys.has(key)) continue;
    const mistyped = strictTypeProblem(typeOf.get(key), value);
    if (mistyped !== undefined) {
      problems.push({
        code: 'CONFIG_INVALID',
        instance,
        key,
        message: `instances.${instance}.${key} ${mistyped}`,
      });
      continue;
    }
    raw[key] = value;
    stored[key] = { kind: 'plain', value: value as JsonValue };
  }
  for (const key of secretKeys) {
    const given = Object.hasOwn(submitted, key) ? submitted[key] : undefined;
    const aad = parameterAad(instance, key);
    if (given === undefined || isSetMarker(given)) {
      const kept = Object.hasOwn(previous, key) ? previous[key] : undefined;
      if (kept === undefined) continue;
      try {
        raw[key] = kept.kind === 'secret' ? box.open(kept.blob, aad) : kept.value;
        stored[key] =
          kept.kind === 'secret' ? kept : { kind: 'secret', blob: box.seal(String(kept.value), aad) };
      } catch (error) {
        problems.push({
          code: 'CONFIG_INVALID',
          instance,
          key,
          message: ServerError.is(error)
            ? error.message
            : `The stored secret parameter "${key}" of instance "${instance}" cannot be opened; enter it again.`,
        });
      }
      continue;
    }
    if (given === null || given === '') continue;
    raw[key] = given;
    if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean') {
      stored[key] = { kind: 'secret', blob: box.seal(String(given), aad) };
    }
  }
  return { raw, stored, problems };
}

async function readConfiguration(sources: ConfigurationSources): Promise<StoredConfiguration> {
  const stored = await sources.booted.store.getConfiguration();
  if (stored === undefined) {
    throw new ServerError(
      'CONFIG_INVALID',
      'The store holds no configuration; restart the server to seed it.',
    );
  }
  return stored;
}

/** The stored configuration, basics and the sections of the listed instances, secrets hidden. */
export async function configurationView(sources: ConfigurationSources): Promise<ConfigurationView> {
  const stored = await readConfiguration(sources);
  const specsOf = specsLookup(sources.from);
  const instances: Record<string, Record<string, unknown>> = {};
  // Only the listed instances have a section on the page; the boot reads no other.
  for (const [instance, connector] of connectorsOf(stored.basics.connectors)) {
    const values = Object.hasOwn(stored.instances, instance) ? stored.instances[instance] : undefined;
    instances[instance] = sectionView(values ?? {}, await specsOf(connector));
  }
  return {
    basics: { ...stored.basics.settings, connectors: stored.basics.connectors },
    instances,
    restartRequired: await sources.booted.restartRequired(),
  };
}

/**
 * Replaces the configuration with `submitted` when the next boot would load it; CONFIG_INVALID
 * with every problem otherwise, and nothing stored. Answers whether a restart is needed.
 */
export async function saveConfiguration(
  sources: ConfigurationSources,
  submitted: SubmittedConfiguration,
  options: SaveOptions = {},
): Promise<{ restartRequired: boolean; missing: LoadProblem[] }> {
  const { store, box } = sources.booted;
  const { connectors: list, ...settings } = submitted.basics;
  const previous = await readConfiguration(sources);
  const listed = connectorsOf(list);
  const specsOf = specsLookup(sources.from);
  const problems: Problem[] = [];
  const tooMany = instanceCountProblem(list, sources.maxInstances ?? MAX_INSTANCES, 'basics.connectors');
  if (tooMany !== undefined) {
    throw new ServerError('CONFIG_INVALID', `The configuration was not saved: ${tooMany.message}`, {
      problems: [tooMany],
    });
  }

  for (const instance of Object.keys(submitted.instances)) {
    if (listed.has(instance)) continue;
    problems.push({
      instance,
      message: `instances.${instance}: there is no instance "${instance}" in the connector list${listed.size > 0 ? ` (listed: ${[...listed.keys()].join(', ')})` : ''}; add it to the list or remove its section.`,
    });
  }

  const raw: Record<string, Record<string, unknown>> = {};
  const sections: Record<string, StoredValues> = {};
  for (const [instance, connector] of listed) {
    const section = Object.hasOwn(submitted.instances, instance) ? submitted.instances[instance] : undefined;
    const before = Object.hasOwn(previous.instances, instance) ? previous.instances[instance] : undefined;
    // Unknown specs mean the connector is not installed: the loader below says so.
    const merged = mergeSection(instance, section ?? {}, before ?? {}, (await specsOf(connector)) ?? [], box);
    raw[instance] = merged.raw;
    sections[instance] = merged.stored;
    problems.push(...merged.problems);
  }

  // The next boot's check, run now: list syntax, duplicates, unknown or missing connectors,
  // and each instance's parameters against its connector's specs.
  const registry = await loadConnectors(list, { from: sources.from, parameters: raw });
  await registry.close();
  const missing: LoadProblem[] = [];
  for (const problem of registry.problems) {
    const parameter = problem.instance === undefined ? undefined : listed.get(problem.instance);
    const specs = parameter === undefined ? undefined : await specsOf(parameter);
    if (options.allowMissing === true && isMissingRequired(problem, specs, raw)) missing.push(problem);
    else problems.push(problem);
  }

  if (problems.length > 0) {
    const views = problems.map(problemView);
    throw new ServerError(
      'CONFIG_INVALID',
      `The configuration was not saved: it has ${views.length} problem${views.length === 1 ? '' : 's'}:\n${formatProblems(views)}`,
      { problems: views },
    );
  }

  await store.transaction(async (tx) => {
    const current = await tx.getConfiguration();
    // Secrets were kept from `previous`: a save in between would be silently overwritten.
    if (current?.updatedAt !== previous.updatedAt) {
      throw new ServerError(
        'INVALID_REQUEST',
        'The configuration was changed by someone else while this save was checked; reload the page and save again.',
      );
    }
    // Sections of instances no longer listed stay stored, so listing them again restores them.
    const dormant = Object.fromEntries(
      Object.entries(current.instances).filter(([instance]) => !listed.has(instance)),
    );
    await tx.replaceConfiguration({
      basics: { connectors: list, settings },
      instances: { ...dormant, ...sections },
    });
  });
  return { restartRequired: await sources.booted.restartRequired(), missing };
}

export interface SaveOptions {
  /**
   * Store the configuration even though required parameters of listed instances have no value yet,
   * answering them as `missing`: an instance added from the command line gets its values after. Those
   * instances do not load until their values are set. Any other problem still refuses the save.
   */
  readonly allowMissing?: boolean | undefined;
}

/** A loader problem that only says a required parameter has no value. */
function isMissingRequired(
  problem: LoadProblem,
  specs: readonly ParameterSpec[] | undefined,
  raw: Readonly<Record<string, Record<string, unknown>>>,
): boolean {
  if (problem.code !== 'CONFIG_INVALID' || problem.key === undefined || problem.instance === undefined) {
    return false;
  }
  const spec = specs?.find((candidate) => candidate.key === problem.key);
  const given = raw[problem.instance]?.[problem.key];
  return (
    spec?.required === true &&
    spec.default === undefined &&
    (given === undefined || given === '' || given === null)
  );
}
