/** Read-only views of the server: health, the loaded connector instances, the API description. */

import type { BootedServer } from '../boot/boot.js';
import { problemView } from '../errors.js';
import { INSTALLED_STATUSES, installedComparison } from '../pages/installed-packages.js';
import { ERROR_SCHEMA, type JsonSchema, type RouteSpec } from './routes.js';

const PROBLEMS_SCHEMA = (ERROR_SCHEMA.properties as { error: { properties: { problems: JsonSchema } } }).error
  .properties.problems;

/**
 * `from` is where connector packages are installed (as given to the boot): `GET /api/connectors`
 * compares what is there now with what was loaded.
 */
export function statusRoutes(
  booted: BootedServer,
  openApi: () => JsonSchema,
  from: string | URL = import.meta.url,
): RouteSpec[] {
  const health: RouteSpec = {
    method: 'GET',
    url: '/api/health',
    operationId: 'health',
    summary:
      'Server health: the store and whether it answers, loaded instances, loading problems, and whether a restart is required. 503 while the store does not answer, so that a load balancer sends requests to another replica.',
    tag: 'status',
    access: 'public',
    success: {
      status: 200,
      description: 'Health',
      schema: {
        type: 'object',
        required: ['status', 'store', 'instances', 'problems', 'restartRequired'],
        additionalProperties: false,
        properties: {
          status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'] },
          store: {
            type: 'object',
            required: ['kind', 'location', 'reachable'],
            additionalProperties: false,
            properties: {
              kind: { type: 'string', enum: ['sqlite', 'postgresql'] },
              // The database URL without its password, or the SQLite file.
              location: { type: 'string' },
              reachable: { type: 'boolean' },
            },
          },
          instances: { type: 'array', items: { type: 'string' } },
          problems: PROBLEMS_SCHEMA,
          restartRequired: { type: 'boolean' },
        },
      },
    },
    async handler(_request, reply) {
      const reachable = await booted.store.ping().then(
        () => true,
        () => false,
      );
      if (!reachable) reply.code(503);
      return {
        status: !reachable ? 'unavailable' : booted.problems.length === 0 ? 'ok' : 'degraded',
        store: { ...booted.store.description, reachable },
        instances: booted.registry.instances.map((instance) => instance.name),
        problems: booted.problems.map(problemView),
        // Unknown without the store; the restart question waits until it answers.
        restartRequired: reachable ? await booted.restartRequired() : false,
      };
    },
  };

  const connectors: RouteSpec = {
    method: 'GET',
    url: '/api/connectors',
    operationId: 'listConnectors',
    summary:
      'The loaded connector instances with their packages, versions and licenses, and loading problems',
    tag: 'status',
    access: 'user',
    success: {
      status: 200,
      description: 'Connector instances',
      schema: {
        type: 'object',
        required: ['instances', 'problems', 'installed'],
        additionalProperties: false,
        properties: {
          instances: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'name',
                'connector',
                'cloud',
                'package',
                'version',
                'license',
                'openSource',
                'status',
              ],
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                connector: { type: 'string' },
                cloud: { type: 'string' },
                package: { type: 'string' },
                version: { type: 'string' },
                license: { type: 'string' },
                openSource: { type: 'boolean' },
                status: { type: 'string', enum: ['loaded'] },
              },
            },
          },
          problems: PROBLEMS_SCHEMA,
          installed: {
            description:
              'Connector packages installed next to the server now, compared with what this boot loaded (changes take effect at restart)',
            type: 'array',
            items: {
              type: 'object',
              required: ['package', 'connector', 'status'],
              additionalProperties: false,
              properties: {
                package: { type: 'string' },
                connector: { type: 'string' },
                version: { type: 'string', description: 'The version installed now' },
                loadedVersion: { type: 'string', description: 'The version this boot loaded' },
                status: { type: 'string', enum: [...INSTALLED_STATUSES] },
              },
            },
          },
        },
      },
    },
    async handler() {
      return {
        installed: await installedComparison(booted, from),
        instances: booted.registry.instances.map((instance) => ({
          name: instance.name,
          connector: instance.connector,
          cloud: instance.cloud,
          package: instance.package,
          version: instance.version,
          license: instance.license,
          openSource: instance.openSource,
          status: 'loaded',
        })),
        problems: booted.problems.map(problemView),
      };
    },
  };

  const openapi: RouteSpec = {
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'openApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'status',
    access: 'public',
    // The document is free-form JSON; an empty schema lets it through unfiltered.
    success: {
      status: 200,
      description: 'OpenAPI document',
      schema: { type: 'object', additionalProperties: true },
    },
    async handler() {
      return openApi();
    },
  };

  return [health, connectors, openapi];
}
