import {
  type CredentialSpec,
  type FieldValues,
  type ParameterSpec,
  readParameter,
} from '@slipstream/connector-core';
import { parseAccounts } from './accounts.js';
import { LOCAL_ZONE_IDS } from './catalog.js';
import { LOCAL_CLOUD_DEFAULTS, type LocalCloudOptions } from './cloud.js';

/**
 * Instance parameters, set by the administrator. Core validates values against these specs and
 * applies the defaults before `create` runs, and adds `quota.vm` and `max.iaas.workers` itself.
 */
export const LOCAL_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'accounts',
    label: 'Accounts',
    description:
      'The accounts of this local cloud as key:secret pairs separated by commas, e.g. "alice:s3cret,bob:hunter22". ' +
      'A user opens one with a key and its secret as credentials.',
    type: 'secret',
    default: 'demo:demo-secret',
  },
  {
    key: 'zone',
    label: 'Default zone',
    description: 'Zone of a launch that names none.',
    type: 'enum',
    values: LOCAL_ZONE_IDS,
    default: LOCAL_CLOUD_DEFAULTS.defaultZone,
  },
  {
    key: 'boot.delay.ms',
    label: 'Boot delay (ms)',
    description: 'How long a launched or started VM stays pending before it runs.',
    type: 'integer',
    default: LOCAL_CLOUD_DEFAULTS.bootDelayMs,
    min: 0,
    max: 3_600_000,
  },
  {
    key: 'halt.delay.ms',
    label: 'Halt delay (ms)',
    description: 'How long a VM takes to stop, or to be deleted once terminated.',
    type: 'integer',
    default: LOCAL_CLOUD_DEFAULTS.haltDelayMs,
    min: 0,
    max: 3_600_000,
  },
  {
    key: 'account.vm.limit',
    label: 'VMs per account',
    description:
      'The cloud-side limit: the most VMs one account may hold at once, terminated ones excepted. ' +
      'A launch past it fails with QUOTA_EXCEEDED.',
    type: 'integer',
    default: LOCAL_CLOUD_DEFAULTS.accountVmLimit,
    min: 0,
  },
]);

/** Per-user credentials: one account of the `accounts` parameter. */
export const LOCAL_CREDENTIALS: readonly CredentialSpec[] = Object.freeze([
  {
    key: 'key',
    label: 'Key',
    description: 'Your account key: one of the keys of the instance\'s "accounts" parameter.',
    type: 'string',
    required: true,
  },
  {
    key: 'secret',
    label: 'Secret',
    description: 'The secret paired with your key.',
    type: 'secret',
    required: true,
  },
]);

/**
 * The model's settings from validated parameters. Parsing `accounts` here, at create time, means a
 * malformed value stops the instance at boot (CONFIG_INVALID) instead of failing every login.
 */
export function cloudOptionsFrom(parameters: FieldValues): Omit<LocalCloudOptions, 'clock'> {
  return {
    accounts: parseAccounts(readParameter(parameters, 'accounts', 'string')),
    defaultZone: readParameter(parameters, 'zone', 'string'),
    bootDelayMs: readParameter(parameters, 'boot.delay.ms', 'number'),
    haltDelayMs: readParameter(parameters, 'halt.delay.ms', 'number'),
    accountVmLimit: readParameter(parameters, 'account.vm.limit', 'number'),
  };
}
