/**
 * The caller's clouds: catalog lists per instance, launching, listing and acting on their VMs.
 * The work is in ../vms; these are the HTTP shapes. Sessions come from the caller's saved
 * credentials (SessionCache), so no route ever takes or returns a credential.
 */

import { VM_STATES } from '@slipstream/connector-core';
import type { BootedServer } from '../boot/boot.js';
import { VM_RECORD_STATES } from '../store/types.js';
import {
  actOnVm,
  type LaunchInput,
  launchVms,
  listVms,
  type SessionCache,
  type VmAction,
  type VmContext,
} from '../vms/index.js';
import { callerOf } from './auth.js';
import { type JsonSchema, PRINTABLE_TEXT, type RouteSpec } from './routes.js';
import { IDEMPOTENCY_KEY_PATTERN } from './validation.js';

const STRING_ARRAY = { type: 'array', items: { type: 'string' } } as const;
const TAGS = { type: 'object', additionalProperties: { type: 'string' } } as const;

const CLOUD_VM: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'state', 'rawState', 'publicIps', 'privateIps', 'tags'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    state: {
      type: 'string',
      enum: [...VM_STATES],
    },
    rawState: { type: 'string' },
    publicIps: STRING_ARRAY,
    privateIps: STRING_ARRAY,
    image: { type: 'string' },
    size: { type: 'string' },
    zone: { type: 'string' },
    createdAt: { type: 'string' },
    tags: TAGS,
  },
};

const VM_VIEW: JsonSchema = {
  type: 'object',
  required: [
    'instance',
    'recordId',
    'idempotencyKey',
    'owner',
    'name',
    'recordState',
    'recordedAt',
    'updatedAt',
  ],
  properties: {
    instance: { type: 'string' },
    recordId: { type: 'string' },
    idempotencyKey: { type: 'string' },
    owner: { type: 'string' },
    name: { type: 'string' },
    recordState: { type: 'string', enum: [...VM_RECORD_STATES] },
    cloudId: { type: 'string' },
    account: { type: 'string', description: 'Which cloud account launched it (a digest, never a secret)' },
    unreachable: {
      type: 'string',
      description:
        "Present when the owner's saved credentials open another account: why the VM cannot be seen or managed, and which account is needed",
    },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
    recordedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    vm: CLOUD_VM,
  },
};

const ONE_VM: JsonSchema = { type: 'object', required: ['vm'], properties: { vm: VM_VIEW } };

/** Mirrors core's launch checks where a schema can, so most mistakes are named before anything is recorded. */
const LAUNCH_BODY: JsonSchema = {
  type: 'object',
  required: ['name', 'image', 'size'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: PRINTABLE_TEXT },
    image: { type: 'string', minLength: 1, maxLength: 255 },
    size: { type: 'string', minLength: 1, maxLength: 255 },
    zone: { type: 'string', minLength: 1, maxLength: 255 },
    count: { type: 'integer', minimum: 1, maximum: 100 },
    sshPublicKey: { type: 'string', minLength: 1, maxLength: 16_384 },
    userData: { type: 'string', maxLength: 1024 * 1024 },
    tags: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { minLength: 1, maxLength: 128 },
      additionalProperties: { type: 'string', maxLength: 256 },
    },
    idempotencyKey: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
  },
};

type Catalog = 'images' | 'sizes' | 'zones';

const CATALOG_ITEM: Record<Catalog, JsonSchema> = {
  images: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      os: { type: 'string' },
      zone: { type: 'string' },
    },
  },
  sizes: {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      cpus: { type: 'number' },
      memoryMb: { type: 'number' },
      diskGb: { type: 'number' },
    },
  },
  zones: {
    type: 'object',
    required: ['id', 'name'],
    properties: { id: { type: 'string' }, name: { type: 'string' }, available: { type: 'boolean' } },
  },
};

export interface CloudRoutesOptions {
  readonly booted: BootedServer;
  /** The app's session cache; the app closes it when it closes. */
  readonly sessions: SessionCache;
  readonly logger?: VmContext['logger'];
}

export function cloudRoutes(options: CloudRoutesOptions): RouteSpec[] {
  const context: VmContext = {
    booted: options.booted,
    sessions: options.sessions,
    calls: options.booted.calls,
    logger: options.logger,
  };

  const catalog = (kind: Catalog): RouteSpec => ({
    method: 'GET',
    url: `/api/clouds/:instance/${kind}`,
    operationId: `list${kind.charAt(0).toUpperCase()}${kind.slice(1)}`,
    summary: `The ${kind} the caller can use on an instance, as the cloud lists them`,
    tag: 'clouds',
    access: 'user',
    success: {
      status: 200,
      description: `The instance's ${kind}`,
      schema: {
        type: 'object',
        required: [kind],
        properties: { [kind]: { type: 'array', items: CATALOG_ITEM[kind] } },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      const { instance } = request.params as { instance: string };
      // Within the listing deadline: a cloud that hangs answers 504 TIMEOUT, not minutes later.
      const items = await context.calls.run(instance, 'list', async (signal) => {
        const { session } = await context.sessions.open(caller.user.id, instance);
        return kind === 'images'
          ? session.listImages({ signal })
          : kind === 'sizes'
            ? session.listSizes({ signal })
            : session.listZones({ signal });
      });
      return { [kind]: items };
    },
  });

  const launch: RouteSpec = {
    method: 'POST',
    url: '/api/clouds/:instance/vms',
    operationId: 'launchVms',
    summary:
      "Launch VMs with the caller's credentials; retrying with the same idempotencyKey returns the same VMs (generated and returned when absent)",
    tag: 'vms',
    access: 'user',
    body: LAUNCH_BODY,
    example: { name: 'web-1', image: 'ubuntu-24.04', size: 'small' },
    success: {
      status: 201,
      description: 'The launched VMs, one record each',
      schema: {
        type: 'object',
        required: ['idempotencyKey', 'replayed', 'vms'],
        properties: {
          idempotencyKey: { type: 'string' },
          replayed: { type: 'boolean' },
          vms: { type: 'array', items: VM_VIEW },
        },
      },
    },
    async handler(request, reply) {
      const caller = callerOf(request);
      const { instance } = request.params as { instance: string };
      const result = await launchVms(context, caller.user, instance, request.body as LaunchInput);
      reply.code(201);
      return result;
    },
  };

  const list: RouteSpec = {
    method: 'GET',
    url: '/api/vms',
    operationId: 'listVms',
    summary:
      "The caller's VMs on every instance, asked concurrently, with per-instance errors beside partial results (admins: ?all=true for every user's)",
    tag: 'vms',
    access: 'user',
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        all: {
          type: 'string',
          enum: ['true', 'false'],
          description: "Administrators: every user's VMs, not only their own",
        },
      },
    },
    success: {
      status: 200,
      description: 'VMs and the instances that failed to answer',
      schema: {
        type: 'object',
        required: ['vms', 'errors'],
        properties: {
          vms: { type: 'array', items: VM_VIEW },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['instance', 'code', 'message'],
              properties: {
                instance: { type: 'string' },
                owner: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
    async handler(request, reply) {
      const caller = callerOf(request);
      const { all } = (request.query ?? {}) as { all?: string };
      const list = await listVms(context, caller.user, { all: all === 'true' });
      // The views hold only what the schema above shows, keys in its order (records.ts), so the
      // native JSON.stringify writes the same text as Fastify's schema serialiser, several times
      // faster on thousands of VMs; as one buffer, whose length needs no second pass to count.
      reply.type('application/json; charset=utf-8');
      return Buffer.from(JSON.stringify(list));
    },
  };

  const act = (method: 'DELETE' | 'POST', action: VmAction): RouteSpec => ({
    method,
    url: action === 'terminate' ? '/api/vms/:instance/:id' : `/api/vms/:instance/:id/${action}`,
    operationId: `${action}Vm`,
    summary: `${action.charAt(0).toUpperCase()}${action.slice(1)} one of the caller's VMs (an administrator: anyone's)`,
    tag: 'vms',
    access: 'user',
    success: { status: 200, description: `The VM after ${action}`, schema: ONE_VM },
    async handler(request) {
      const caller = callerOf(request);
      const { instance, id } = request.params as { instance: string; id: string };
      return { vm: await actOnVm(context, caller.user, instance, id, action) };
    },
  });

  return [
    catalog('images'),
    catalog('sizes'),
    catalog('zones'),
    launch,
    list,
    act('DELETE', 'terminate'),
    act('POST', 'stop'),
    act('POST', 'start'),
  ];
}
