/** Each user's own credentials per loaded instance: the HTTP shapes of credentials/credentials.ts. */

import type { BootedServer } from '../boot/boot.js';
import { credentialsOverview, saveCredentials } from '../credentials/credentials.js';
import { callerOf } from './auth.js';
import type { RouteSpec } from './routes.js';

const ANSWER_SCHEMA = {
  type: 'object',
  required: ['instance', 'hasCredentials', 'account', 'checked', 'warnings'],
  additionalProperties: false,
  properties: {
    instance: { type: 'string' },
    hasCredentials: { type: 'boolean' },
    checked: {
      type: 'boolean',
      description:
        'true: the cloud accepted the credentials. false: the cloud could not be asked (unreachable, or no answer within SLIPSTREAM_LIST_TIMEOUT_MS); they were saved unchecked and a warning says why. Credentials the cloud refuses are not saved (400 CREDENTIALS_INVALID).',
    },
    account: {
      type: 'string',
      description: 'Which cloud account the credentials open (a digest, never a secret)',
    },
    warnings: {
      type: 'array',
      items: { type: 'string' },
      description:
        'What the save changes for VMs launched with another account, and why the credentials were not checked',
    },
  },
} as const;

export function credentialsRoutes(booted: BootedServer): RouteSpec[] {
  const { store, registry } = booted;

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
      return { credentials: await credentialsOverview(store, registry, callerOf(request).user) };
    },
  };

  const putCredentials: RouteSpec = {
    method: 'PUT',
    url: '/api/credentials/:instance',
    operationId: 'putCredentials',
    summary:
      "Save the caller's credentials for an instance (the connector's credential keys and values), once the cloud accepts them",
    tag: 'credentials',
    access: 'user',
    // The keys are the connector's and checked against its specs, with did-you-mean for typos.
    // The local connector's keys: each connector names its own (the credentials page lists them).
    example: { key: 'demo', secret: 'demo-secret' },
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
      const { checkFailure, ...saved } = await saveCredentials(
        booted,
        caller.user,
        instance,
        request.body as Record<string, unknown>,
      );
      if (!saved.checked) {
        request.log.warn(
          { instance, err: checkFailure },
          'saved credentials unchecked: the cloud could not be asked',
        );
      }
      request.log.info(
        { user: caller.user.name, instance, account: saved.account, checked: saved.checked },
        'saved credentials',
      );
      return { instance, hasCredentials: true, ...saved };
    },
  };

  return [listCredentials, putCredentials];
}
