import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ConnectorRegistry,
  formatProblems,
  type LoadProblem,
  type Logger,
  loadConnectors,
  silentLogger,
} from '@slipstream/connector-core';
import { openParameters } from '../configuration/instance-values.js';
import { ServerError } from '../errors.js';
import { openSecretBox } from '../security/key-check.js';
import type { SecretBox } from '../security/secret-box.js';
import { LAUNCH_LEASE_MS, type ServerSettings } from '../settings.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store, StoredValues } from '../store/types.js';
import { CloudCalls, DEFAULT_DEADLINES } from '../vms/deadlines.js';
import { LaunchLeases } from '../vms/leases.js';
import { checkFirstStartVariables } from './first-start-variables.js';
import { checkHome } from './home.js';
import { configurationDigest, listedInstances } from './loaded-configuration.js';
import { checkAdminPassword, ensureAdministrator, needsAdministrator, seedFirstStart } from './seed.js';

/** The store's file name inside the server's home directory. */
export const STORE_FILE = 'slipstream.db';

export interface BootOptions {
  readonly settings: ServerSettings;
  /**
   * Where connector packages are installed: a directory or a file URL such as the server package's
   * own `import.meta.url`; the loader searches its `node_modules` and its parents'.
   */
  readonly from: string | URL;
  /** Gets no secret: values are never logged, the generated password is returned instead. */
  readonly logger?: (Logger & { child?: (fields: Record<string, unknown>) => Logger }) | undefined;
  /** Where SLIPSTREAM_SECRET_KEY is read from; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

export interface BootedServer {
  readonly store: Store;
  readonly box: SecretBox;
  readonly registry: ConnectorRegistry;
  /** The connector list text this boot loaded. */
  readonly loadedConnectors: string;
  /** Every loading problem, the instances that did not load; empty in strict mode. */
  readonly problems: readonly LoadProblem[];
  /** True when this boot seeded the store. */
  readonly firstStart: boolean;
  /** First-start variables that differ from the store and are therefore not used, said how to fix. */
  readonly warnings: readonly string[];
  /**
   * Creates `admin` when the store has no user (SLIPSTREAM_ADMIN_PASSWORD, or a generated password
   * it answers: print it, never log it). Called once the server listens, so that a start that fails
   * before does not lose a generated password.
   */
  ensureAdministrator(): Promise<string | undefined>;
  /** The deadlines of the cloud calls made for requests, and the stop that ends them. */
  readonly calls: CloudCalls;
  /** This replica's leases on the launches it runs. */
  readonly leases: LaunchLeases;
  /** True when the stored connector list or the listed instances' parameters differ from what was loaded. */
  restartRequired(): Promise<boolean>;
  /** Abandons the cloud calls still running, closes the connector instances, then the store. */
  close(): Promise<void>;
}

/**
 * Boots the server's core: the store and secret key, the first start's seeding, and the connector
 * instances of the stored configuration. Nothing stays open when it throws.
 */
export async function bootServer(options: BootOptions): Promise<BootedServer> {
  const { settings } = options;
  const logger = options.logger ?? silentLogger;
  const from = options.from instanceof URL ? fileURLToPath(options.from) : options.from;
  const store = await openServerStore(settings);
  logger.info({ ...store.description }, 'opened the store');

  try {
    // The key is checked against what it must open before anything is written with it.
    const { box, key: secretKey } = await openSecretBox(store, {
      home: settings.home,
      env: options.env ?? process.env,
    });
    if (secretKey.created) logger.info({ file: secretKey.file }, 'created the secret key file');

    // Every boot, not only the one that renamed: the people concerned learn it from an administrator,
    // who may not have seen the upgrade's log.
    for (const rename of await store.listUserRenames()) {
      logger.warn(
        { user: rename.newName, renamedFrom: rename.oldName, renamedAt: rename.renamedAt },
        `User "${rename.oldName}" was renamed to "${rename.newName}" because user names are not ` +
          'case-sensitive and an older account has the same name but for case; they must now log in as ' +
          `"${rename.newName}".`,
      );
    }
    // The administrator is created once the server listens (ensureAdministrator); a password it
    // could not use is refused now, before the server starts.
    if (await needsAdministrator(store)) await checkAdminPassword(settings.adminPassword);
    let firstStart = false;
    let warnings: string[] = [];
    let configuration = await store.getConfiguration();
    if (configuration === undefined) {
      firstStart = await seedFirstStart({ store, box, initial: settings.initial, from, logger });
      configuration = await store.getConfiguration();
    } else {
      warnings = await checkFirstStartVariables({
        settings,
        stored: configuration,
        box,
        users: store,
        logger,
      });
    }
    if (configuration === undefined) {
      throw new ServerError('CONFIG_INVALID', 'The store holds no configuration after seeding it.');
    }

    const loadedConnectors = configuration.basics.connectors;
    const opened = openParameters(listedSections(loadedConnectors, configuration.instances), box);
    const registry = await loadConnectors(loadedConnectors, {
      from,
      parameters: opened.parameters,
      logger: options.logger,
    });
    // Secrets that did not open come first: they explain the parameter problems the loader reports.
    const problems = [...opened.problems, ...registry.problems];
    if (settings.strict && problems.length > 0) {
      await registry.close();
      throw new ServerError(
        'CONFIG_INVALID',
        `Strict mode: the server does not start because the configured connectors have ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}\nFix them with \`slipstream config set\` (see \`slipstream config set --help\`), or start without --strict to run with the instances that load and fix them on the configuration page.`,
        { problems },
      );
    }
    for (const problem of problems)
      logger.warn({ code: problem.code, instance: problem.instance }, problem.message);
    logger.info(
      { instances: registry.instances.map((instance) => instance.name), problems: problems.length },
      'loaded the connector instances',
    );

    const loadedDigest = configurationDigest(loadedConnectors, opened.parameters);
    // /api/health (public, probed often) and every admin page ask this: opening every secret each
    // time is the expensive part, so the answer is kept for as long as the stored form is the same
    // (a save always changes it: each seal has a fresh nonce).
    let last: { readonly stored: string; readonly required: boolean } | undefined;
    const booted: BootedServer = {
      store,
      box,
      registry,
      calls: new CloudCalls(settings.deadlines ?? DEFAULT_DEADLINES),
      leases: new LaunchLeases(store, settings.launchLeaseMs ?? LAUNCH_LEASE_MS, logger),
      loadedConnectors,
      problems,
      firstStart,
      warnings,
      ensureAdministrator: () => ensureAdministrator(store, settings.adminPassword, logger),
      async restartRequired(): Promise<boolean> {
        const current = await store.getConfiguration();
        if (current === undefined) return true;
        const list = current.basics.connectors;
        const stored = JSON.stringify([list, current.instances]);
        if (last?.stored === stored) return last.required;
        // A secret that no longer opens counts as left out, as it would be at the next boot.
        const now = openParameters(listedSections(list, current.instances), box);
        last = { stored, required: configurationDigest(list, now.parameters) !== loadedDigest };
        return last.required;
      },
      async close(): Promise<void> {
        try {
          await booted.calls.stop(0);
          booted.leases.close();
          await registry.close();
        } finally {
          await store.close();
        }
      },
    };
    return booted;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The store the server uses: the PostgreSQL database of SLIPSTREAM_DATABASE_URL, which several
 * replicas share, or else the SQLite file in the server's home.
 */
export async function openServerStore(
  settings: Pick<ServerSettings, 'home' | 'databaseUrl'>,
): Promise<Store> {
  if (settings.databaseUrl !== undefined) return openPostgresStore({ url: settings.databaseUrl });
  await checkHome(settings.home);
  return openSqliteStore({ file: join(settings.home, STORE_FILE) });
}

/** The stored sections of the instances a list names: the only ones a boot opens. */
function listedSections(
  list: string,
  instances: Readonly<Record<string, StoredValues>>,
): Record<string, StoredValues> {
  const sections: Record<string, StoredValues> = {};
  for (const instance of listedInstances(list)) {
    if (Object.hasOwn(instances, instance)) sections[instance] = instances[instance] as StoredValues;
  }
  return sections;
}
