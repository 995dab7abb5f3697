/**
 * The configuration page's API (administrators only): the HTTP shapes of
 * configuration/configuration.ts.
 */

import {
  type ConfigurationSources,
  configurationView,
  type SubmittedConfiguration,
  saveConfiguration,
} from '../configuration/configuration.js';
import { ServerError } from '../errors.js';
import { callerOf } from './auth.js';
import type { JsonSchema, RouteSpec } from './routes.js';
import { SETTING_NAME_PATTERN } from './validation.js';

const SECTIONS_SCHEMA: JsonSchema = {
  type: 'object',
  maxProperties: 1000,
  propertyNames: { maxLength: 100 },
  additionalProperties: {
    type: 'object',
    maxProperties: 200,
    propertyNames: { maxLength: 100 },
    additionalProperties: {},
  },
};

const BASICS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['connectors'],
  properties: { connectors: { type: 'string', maxLength: 100_000 } },
  propertyNames: { pattern: SETTING_NAME_PATTERN, maxLength: 100 },
  additionalProperties: { type: 'string', maxLength: 10_000 },
};

export function configurationRoutes(options: ConfigurationSources): RouteSpec[] {
  const getConfiguration: RouteSpec = {
    method: 'GET',
    url: '/api/configuration',
    operationId: 'getConfiguration',
    summary:
      'The configuration (administrators only): basics and the sections of the listed instances; secret values show as {"set": true}',
    tag: 'configuration',
    access: 'admin',
    success: {
      status: 200,
      description: 'Configuration',
      schema: {
        type: 'object',
        required: ['basics', 'instances', 'restartRequired'],
        additionalProperties: false,
        properties: {
          basics: {
            type: 'object',
            required: ['connectors'],
            properties: { connectors: { type: 'string' } },
            additionalProperties: { type: 'string' },
          },
          instances: {
            type: 'object',
            additionalProperties: { type: 'object', additionalProperties: true },
          },
          restartRequired: { type: 'boolean' },
        },
      },
    },
    async handler() {
      return configurationView(options);
    },
  };

  const putConfiguration: RouteSpec = {
    method: 'PUT',
    url: '/api/configuration',
    operationId: 'putConfiguration',
    summary:
      'Replace the configuration (administrators only): validated as the next boot loads it; takes effect at restart',
    tag: 'configuration',
    access: 'admin',
    example: { basics: { connectors: 'local,lab2:local' }, instances: { lab2: { zone: 'local-b' } } },
    body: {
      type: 'object',
      required: ['basics', 'instances'],
      additionalProperties: false,
      properties: { basics: BASICS_SCHEMA, instances: SECTIONS_SCHEMA },
    },
    success: {
      status: 200,
      description: 'Saved',
      schema: {
        type: 'object',
        required: ['restartRequired'],
        additionalProperties: false,
        properties: { restartRequired: { type: 'boolean' } },
      },
    },
    async handler(request) {
      const caller = callerOf(request);
      const submitted = request.body as SubmittedConfiguration;
      const saved = await saveConfiguration(options, submitted).catch((error: unknown) => {
        if (ServerError.hasCode(error, 'CONFIG_INVALID')) {
          request.log.info(
            { problems: error.problems.length, by: caller.user.name },
            'refused a configuration',
          );
        }
        throw error;
      });
      request.log.info(
        { connectors: submitted.basics.connectors, by: caller.user.name },
        'saved the configuration',
      );
      return { restartRequired: saved.restartRequired };
    },
  };

  return [getConfiguration, putConfiguration];
}
