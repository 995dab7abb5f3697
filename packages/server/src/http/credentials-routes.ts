/**
 * Each user's own credentials per loaded connector instance. Values are write-only: the listing
 * says only which instances have credentials, and a save answers without echoing anything. Secret
 * values are sealed with AAD `credentials/<userId>/<instance>/<key>`, so a blob copied to another
 * user's row or key does not open.
 */

import {
  ConnectorError,
  type CredentialSpec,
  formatProblems,
  isSecretField,
  validateFields,
} from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import type { Store, StoredValue, VmRecord } from '../store/types.js';
import { accountLabel, accountOf, reachableWith } from '../vms/accounts.js';
import { LIVE_STATES } from '../vms/records.js';
import { assertLoadedInstance } from '../vms/sessions.js';
import { callerOf } from './auth.js';
import type { RouteSpec } from './routes.js';

/** Where a stored credential value lives; the SecretBox binds each sealed value to it. */
export function credentialAad(userId: string, instance: string, key: string): string {
  return `credentials/${userId}/${instance}/${key}`;
}

const ANSWER_SCHEMA = {
  type: 'object',
  required: ['instance', 'hasCredentials', 'account', 'warnings'],
  additionalProperties: false,
  properties: {
    instance: { type: 'string' },
    hasCredentials: { type: 'boolean' },
    account: {
      type: 'string',
      description: 'Which cloud account the credentials open (a digest, never a secret)',
    },
    warnings: {
      type: 'array',
      items: { type: 'string' },
      description: 'What the save changes for VMs launched with another account',
    },
  },
} as const;

export function credentialsRoutes(booted: BootedServer): RouteSpec[] {
  const { store, box, registry } = booted;

  const listCredentials: RouteSpec = {
    method: 'GET',
    url: '/api/credentials',
    operationId: 'listCredentials',
    summary: 'Which loaded instances the caller has saved credentials for (never the values)',
    tag: 'credentials',
    access: 'user',
    success: {
      status: 200,
      description: "The caller's credentials per instance",
      schema: {
        type: 'object',
        required: ['credentials'],
        additionalProperties: false,
        properties: {
          credentials: {
            type: 'array',
            items: {
              type: 'object',
              required: ['instance', 'connector', 'hasCredentials'],
              additionalProperties: false,
              properties: {
                instance: { type: 'string' },
                connector: { type: 'string' },
                hasCredentials: { type: 'boolean' },
                account: { type: 'string' },
                updatedAt: { type: 'string', format: 'date-time' },
              },
            },
          },
        },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      // Always the caller's own: administrators do not read other users' credentials either.
      const saved = new Map(
        (await store.listCredentials(caller.user.id)).map((summary) => [summary.instance, summary.updatedAt]),
      );
      return {
        credentials: await Promise.all(
          registry.instances.map(async (info) => {
            const updatedAt = saved.get(info.name);
            const values =
              updatedAt === undefined
                ? undefined
                : (await store.getCredentials(caller.user.id, info.name))?.values;
            return {
              instance: info.name,
              connector: info.connector,
              hasCredentials: updatedAt !== undefined,
              ...(values === undefined ? {} : { account: accountLabel(accountOf(values)) }),
              ...(updatedAt === undefined ? {} : { updatedAt }),
            };
          }),
        ),
      };
    },
  };

  const putCredentials: RouteSpec = {
    method: 'PUT',
    url: '/api/credentials/:instance',
    operationId: 'putCredentials',
    summary: "Save the caller's credentials for an instance (the connector's credential keys and values)",
    tag: 'credentials',
    access: 'user',
    // The keys are the connector's and checked against its specs, with did-you-mean for typos.
    body: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { maxLength: 100 },
      additionalProperties: {
        anyOf: [{ type: 'string', maxLength: 10_000 }, { type: 'number' }, { type: 'boolean' }],
      },
    },
    success: { status: 200, description: 'Saved', schema: ANSWER_SCHEMA },
    async handler(request) {
      const caller = callerOf(request);
      const { instance } = request.params as { instance: string };
      assertLoadedInstance(registry, instance);
      const specs: readonly CredentialSpec[] = registry.instance(instance).definition.credentials;
      const body = request.body as Readonly<Record<string, unknown>>;
      const { values, problems } = validateFields(specs, body, { subject: 'credential', instance });
      if (problems.length > 0) {
        throw new ConnectorError(
          'CREDENTIALS_INVALID',
          `The credentials for "${instance}" were not saved: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
          { instance, problems },
        );
      }
      const secretKeys = new Set(specs.filter(isSecretField).map((spec) => spec.key));
      const stored: Record<string, StoredValue> = {};
      for (const [key, value] of Object.entries(values)) {
        stored[key] = secretKeys.has(key)
          ? { kind: 'secret', blob: box.seal(String(value), credentialAad(caller.user.id, instance, key)) }
          : { kind: 'plain', value };
      }
      const account = accountOf(stored);
      const others = await store.transaction(async (tx) => {
        await adoptUnmarkedRecords(tx, caller.user.id, instance);
        await tx.putCredentials(caller.user.id, instance, stored);
        const live = await tx.listVmRecords({ ownerId: caller.user.id, instance, states: LIVE_STATES });
        return live.filter((record) => !reachableWith(record, account));
      });
      request.log.info(
        { user: caller.user.name, instance, account: accountLabel(account) },
        'saved credentials',
      );
      return {
        instance,
        hasCredentials: true,
        account: accountLabel(account),
        warnings: accountWarnings(others, instance),
      };
    },
  };

  return [listCredentials, putCredentials];
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
  return [
    `You have ${others.length} VM${others.length === 1 ? '' : 's'} on "${instance}" launched with another cloud account (account ${accounts.join(', ')}). ${others.length === 1 ? 'It is' : 'They are'} shown as unreachable and cannot be managed until you save that account's credentials again; ${others.length === 1 ? 'it' : 'they'} still count toward your quota.`,
  ];
}
