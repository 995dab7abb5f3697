/**
 * Each user's own credentials per loaded connector instance. Values are write-only: the overview
 * says only which instances have credentials and which cloud account they open, and a save answers
 * without echoing anything. Secret values are sealed with AAD `credentials/<userId>/<instance>/<key>`,
 * so a blob copied to another user's row or key does not open.
 */

import {
  type ConnectorRegistry,
  type CredentialSpec,
  formatProblems,
  isSecretField,
  validateFields,
} from '@slipstream/connector-core';
import { ServerError } from '../errors.js';
import { assertLoadedInstance } from '../loaded-instances.js';
import type { SecretBox } from '../security/secret-box.js';
import type { Store, StoredValue, UserRecord, VmRecord } from '../store/types.js';
import { accountLabel, accountOf, reachableWith } from '../vms/accounts.js';
import type { CloudCalls } from '../vms/deadlines.js';
import { LIVE_STATES } from '../vms/records.js';
import { checkWithCloud } from './check.js';

/** Where a stored credential value lives; the SecretBox binds each sealed value to it. */
export function credentialAad(userId: string, instance: string, key: string): string {
  return `credentials/${userId}/${instance}/${key}`;
}

export interface CredentialsOverview {
  readonly instance: string;
  readonly connector: string;
  readonly hasCredentials: boolean;
  /** Which cloud account the saved credentials open (vms/accounts.ts). */
  readonly account?: string;
  readonly updatedAt?: string;
}

/** Per loaded instance, whether the user saved credentials and for which account; never the values. */
export async function credentialsOverview(
  store: Store,
  registry: Pick<ConnectorRegistry, 'instances'>,
  user: UserRecord,
): Promise<CredentialsOverview[]> {
  // Always the user's own: administrators do not read other users' credentials either.
  const saved = new Set((await store.listCredentials(user.id)).map((summary) => summary.instance));
  return Promise.all(
    registry.instances.map(async (info) => {
      const set = saved.has(info.name) ? await store.getCredentials(user.id, info.name) : undefined;
      return {
        instance: info.name,
        connector: info.connector,
        hasCredentials: set !== undefined,
        ...(set === undefined
          ? {}
          : { account: accountLabel(accountOf(set.values)), updatedAt: set.updatedAt }),
      };
    }),
  );
}

export interface SavedCredentials {
  /** Which cloud account they open, shortened. */
  readonly account: string;
  /** True when the cloud accepted them; false when it could not be asked (see `warnings`). */
  readonly checked: boolean;
  /**
   * What the save changes for the user's VMs launched with another account, and that the
   * credentials were not checked, when the cloud could not be asked.
   */
  readonly warnings: readonly string[];
  /** Why they could not be checked, for the server log; absent when checked. */
  readonly checkFailure?: unknown;
}

/**
 * Validates the credentials against the instance's connector, asks the cloud to accept them (see
 * check.ts), seals the secrets and replaces the user's set. CREDENTIALS_INVALID, with nothing
 * stored, when they do not fit the connector (naming every problem) or the cloud refuses them.
 */
export async function saveCredentials(
  sources: {
    readonly store: Store;
    readonly box: SecretBox;
    readonly registry: ConnectorRegistry;
    readonly calls: CloudCalls;
  },
  user: UserRecord,
  instance: string,
  submitted: Readonly<Record<string, unknown>>,
): Promise<SavedCredentials> {
  const { store, box, registry } = sources;
  assertLoadedInstance(registry, instance);
  const specs: readonly CredentialSpec[] = registry.instance(instance).definition.credentials;
  const { values, problems } = validateFields(specs, submitted, { subject: 'credential', instance });
  if (problems.length > 0) {
    throw new ServerError(
      'CREDENTIALS_INVALID',
      `The credentials for "${instance}" were not saved: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
      { instance, problems },
    );
  }
  const check = await checkWithCloud(sources, instance, values);
  const secretKeys = new Set(specs.filter(isSecretField).map((spec) => spec.key));
  const stored: Record<string, StoredValue> = {};
  for (const [key, value] of Object.entries(values)) {
    stored[key] = secretKeys.has(key)
      ? { kind: 'secret', blob: box.seal(String(value), credentialAad(user.id, instance, key)) }
      : { kind: 'plain', value };
  }
  const account = accountOf(stored);
  const others = await store.transaction(async (tx) => {
    await adoptUnmarkedRecords(tx, user.id, instance);
    await tx.putCredentials(user.id, instance, stored);
    const live = await tx.listVmRecords({ ownerId: user.id, instance, states: LIVE_STATES });
    return live.filter((record) => !reachableWith(record, account));
  });
  const warnings = accountWarnings(others, instance);
  if (!check.checked) {
    return {
      account: accountLabel(account),
      checked: false,
      warnings: [...warnings, check.warning],
      checkFailure: check.cause,
    };
  }
  return { account: accountLabel(account), checked: true, warnings };
}

/**
 * Live records from before accounts were recorded belong to the credentials saved until now:
 * they are marked with that account before a save replaces it, so that they become unreachable
 * rather than taken for terminated by the next listing.
 */
async function adoptUnmarkedRecords(tx: Store, userId: string, instance: string): Promise<void> {
  const previous = await tx.getCredentials(userId, instance);
  if (previous === undefined) return;
  const account = accountOf(previous.values);
  for (const record of await tx.listVmRecords({ ownerId: userId, instance, states: LIVE_STATES })) {
    if (record.account === undefined) await tx.updateVmRecord(record.id, { account });
  }
}

/** The warning a save answers with when the user has live VMs of other accounts on the instance. */
function accountWarnings(others: readonly VmRecord[], instance: string): string[] {
  if (others.length === 0) return [];
  const accounts = [...new Set(others.map((record) => accountLabel(record.account ?? '')))];
  const one = others.length === 1;
  return [
    `You have ${others.length} VM${one ? '' : 's'} on "${instance}" launched with another cloud account (account ${accounts.join(', ')}). ${one ? 'It is' : 'They are'} shown as unreachable and cannot be managed until you save that account's credentials again; ${one ? 'it' : 'they'} still count toward your quota.`,
  ];
}
