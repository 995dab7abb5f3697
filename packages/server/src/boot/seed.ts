import {
  formatProblems,
  inspectConnectorList,
  type Logger,
  loadConnectors,
  type ParameterSpec,
  type Problem,
} from '@slipstream/connector-core';
import { installedParameterSpecs } from '../configuration/connector-specs.js';
import { storeParameters } from '../configuration/instance-values.js';
import { isKnownError, ServerError } from '../errors.js';
import { generatePassword } from '../security/generated.js';
import { hashPassword } from '../security/passwords.js';
import type { SecretBox } from '../security/secret-box.js';
import { DEFAULT_CONNECTORS, type InitialConfiguration } from '../settings.js';
import type { Configuration, Store, StoredValues } from '../store/types.js';

/** The first administrator's login name. */
export const FIRST_ADMIN = 'admin';

export interface SeedOptions {
  readonly store: Store;
  readonly box: SecretBox;
  readonly initial: InitialConfiguration;
  /** Where connector packages are installed (to read their parameter specs and check the list). */
  readonly from: string;
  readonly logger: Logger;
}

/**
 * The first start: checks the initial configuration as the next boot would load it and stores it
 * (secret parameters sealed) only when it has no problem. A mistyped SLIPSTREAM_CONNECTORS or
 * SLIPSTREAM_CONFIG is refused with every problem and nothing stored, so the corrected variables
 * still make a first start, instead of a degraded server whose store ignores them from then on.
 * Answers false when another server process seeded the store first.
 */
export async function seedFirstStart(options: SeedOptions): Promise<boolean> {
  const { store, box, initial, logger } = options;
  const configuration = await initialConfiguration(initial, box, options.from);
  const problems = await initialProblems(initial, options.from);
  if (problems.length > 0) {
    throw new ServerError(
      'CONFIG_INVALID',
      `First start refused: the initial configuration (SLIPSTREAM_CONNECTORS, SLIPSTREAM_CONFIG) has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}\nNothing was stored: correct the variables and start again.`,
      { problems },
    );
  }
  const seeded = await store.transaction(async (tx) => {
    // Checked again inside the transaction: another server may have seeded since our first look.
    if ((await tx.getConfiguration()) !== undefined) return false;
    await tx.replaceConfiguration(configuration);
    return true;
  });
  if (seeded) {
    logger.info(
      { connectors: configuration.basics.connectors, instances: Object.keys(configuration.instances) },
      'first start: stored the initial configuration',
    );
  }
  return seeded;
}

/** What the loader would report for the initial list and parameters, and sections of no listed instance. */
async function initialProblems(initial: InitialConfiguration, from: string): Promise<Problem[]> {
  const list = initial.basics.connectors ?? DEFAULT_CONNECTORS;
  const listed = new Set(inspectConnectorList(list).entries.map((entry) => entry.instance));
  const problems: Problem[] = [];
  for (const instance of Object.keys(initial.instances)) {
    if (listed.has(instance)) continue;
    problems.push({
      instance,
      message: `instances.${instance}: there is no instance "${instance}" in the connector list "${list}"; add it to the list or correct the section's name.`,
    });
  }
  const registry = await loadConnectors(list, { from, parameters: initial.instances });
  await registry.close();
  return [...problems, ...registry.problems];
}

async function initialConfiguration(
  initial: InitialConfiguration,
  box: SecretBox,
  from: string,
): Promise<Configuration> {
  const { connectors = DEFAULT_CONNECTORS, ...settings } = initial.basics;
  const connectorOf = new Map(inspectConnectorList(connectors).entries.map((e) => [e.instance, e.connector]));
  // One import per connector, however many instances use it.
  const specs = new Map<string, Promise<ParameterSpec[] | undefined>>();
  const specsOf = (connector: string): Promise<ParameterSpec[] | undefined> => {
    let found = specs.get(connector);
    if (found === undefined) {
      found = installedParameterSpecs(connector, from);
      specs.set(connector, found);
    }
    return found;
  };
  const instances: Record<string, StoredValues> = {};
  for (const [instance, raw] of Object.entries(initial.instances)) {
    const connector = connectorOf.get(instance);
    instances[instance] = storeParameters(
      instance,
      raw,
      connector === undefined ? undefined : await specsOf(connector),
      box,
    );
  }
  return { basics: { connectors, settings }, instances };
}

/**
 * Creates `admin` when the store has no administrator and no `admin` account (the first start, or a
 * store of users from before administrators existed): once the server listens —
 * so a start that fails (port taken, bad HOST) creates nobody, and the next one shows the generated
 * password it would have lost. Answers the password when it was generated here: print it, never log it.
 */
export async function ensureAdministrator(
  store: Store,
  given: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  if (!(await needsAdministrator(store))) return undefined;
  const password = given ?? generatePassword();
  const passwordHash = await hashAdminPassword(password, given !== undefined);
  const created = await store.transaction(async (tx) => {
    // Another server process may have created it since our look.
    if (!(await needsAdministrator(tx))) return false;
    await tx.createUser({ name: FIRST_ADMIN, role: 'admin', passwordHash });
    return true;
  });
  if (!created) return undefined;
  logger.info({ user: FIRST_ADMIN }, 'first start: created the first administrator');
  return given === undefined ? password : undefined;
}

/** True when the store has no administrator and no account named `admin`. */
export async function needsAdministrator(store: Pick<Store, 'listUsers'>): Promise<boolean> {
  return !(await store.listUsers()).some(
    (user) => user.role === 'admin' || user.name.toLowerCase() === FIRST_ADMIN,
  );
}

/** Refuses an unusable SLIPSTREAM_ADMIN_PASSWORD before the server starts. */
export async function checkAdminPassword(given: string | undefined): Promise<void> {
  if (given !== undefined) await hashAdminPassword(given, true);
}

async function hashAdminPassword(password: string, given: boolean): Promise<string> {
  try {
    return await hashPassword(password);
  } catch (error) {
    if (given && isKnownError(error) && error.code === 'INVALID_REQUEST') {
      throw new ServerError(
        'CONFIG_INVALID',
        `SLIPSTREAM_ADMIN_PASSWORD cannot be used: ${error.message} Set another password or unset it to have one generated.`,
      );
    }
    throw error;
  }
}
