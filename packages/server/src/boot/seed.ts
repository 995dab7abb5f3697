import { inspectConnectorList, type Logger, type ParameterSpec } from '@slipstream/connector-core';
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
  /** The administrator's password from the settings; one is generated when absent. */
  readonly adminPassword: string | undefined;
  /** Where connector packages are installed (to read their parameter specs). */
  readonly from: string;
  readonly logger: Logger;
}

export interface SeedResult {
  /** False when another server process seeded the store first. */
  readonly seeded: boolean;
  /** The password generated for `admin`, when this call created it without a given password. */
  readonly generatedAdminPassword?: string;
}

/**
 * The first start: stores the initial configuration (secret parameters sealed) and creates the
 * first administrator in one transaction, so a kill at any point leaves either nothing (the next
 * boot seeds again) or both.
 */
export async function seedFirstStart(options: SeedOptions): Promise<SeedResult> {
  const { store, box, initial, logger } = options;
  const configuration = await initialConfiguration(initial, box, options.from);
  const given = options.adminPassword;
  const password = given ?? generatePassword();
  const passwordHash = await hashAdminPassword(password, given !== undefined);

  const result = await store.transaction(async (tx): Promise<{ seeded: boolean; created: boolean }> => {
    // Checked again inside the transaction: another server may have seeded since our first look.
    if ((await tx.getConfiguration()) !== undefined) return { seeded: false, created: false };
    await tx.replaceConfiguration(configuration);
    if ((await tx.getUserByName(FIRST_ADMIN)) !== undefined) return { seeded: true, created: false };
    await tx.createUser({ name: FIRST_ADMIN, role: 'admin', passwordHash });
    return { seeded: true, created: true };
  });
  if (result.seeded) {
    logger.info(
      { connectors: configuration.basics.connectors, instances: Object.keys(configuration.instances) },
      'first start: stored the initial configuration',
    );
  }
  if (result.created) logger.info({ user: FIRST_ADMIN }, 'first start: created the first administrator');
  return result.created && given === undefined
    ? { seeded: result.seeded, generatedAdminPassword: password }
    : { seeded: result.seeded };
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
