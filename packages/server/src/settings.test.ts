import { describe, expect, it } from 'vitest';
import { ServerError } from './errors.js';
import {
  DEFAULT_CONNECTORS,
  LAUNCH_LEASE_MS,
  MAX_INSTANCES,
  RECONCILE_INTERVAL_MS,
  readServerSettings,
  type SettingsSources,
} from './settings.js';
import { DEFAULT_DEADLINES } from './vms/deadlines.js';

const base: SettingsSources = { env: {}, argv: [], cwd: '/srv/slipstream' };

function problemsOf(sources: SettingsSources): string[] {
  try {
    readServerSettings(sources);
  } catch (error) {
    if (ServerError.hasCode(error, 'CONFIG_INVALID')) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('readServerSettings', () => {
  it('defaults to loopback:8080, ./.slipstream and the local connector', () => {
    expect(readServerSettings(base)).toEqual({
      home: '/srv/slipstream/.slipstream',
      host: '127.0.0.1',
      port: 8080,
      strict: false,
      adminPassword: undefined,
      logLevel: 'info',
      logFormat: 'json',
      firstStartVariables: [],
      maxInstances: MAX_INSTANCES,
      deadlines: DEFAULT_DEADLINES,
      reconcileIntervalMs: RECONCILE_INTERVAL_MS,
      launchLeaseMs: LAUNCH_LEASE_MS,
      initial: { basics: { connectors: DEFAULT_CONNECTORS }, instances: {} },
    });
  });

  it('reads SLIPSTREAM_DATABASE_URL, refusing what is not a postgres URL without echoing it', () => {
    const url = 'postgres://slipstream:s3cret@db.internal:5432/slipstream';
    expect(
      readServerSettings({ ...base, env: { ...base.env, SLIPSTREAM_DATABASE_URL: ` ${url} ` } }).databaseUrl,
    ).toBe(url);
    const refused = problemsOf({
      ...base,
      env: { ...base.env, SLIPSTREAM_DATABASE_URL: 'mysql://u:s3cret@h/d' },
    });
    expect(refused.join('\n')).toContain('SLIPSTREAM_DATABASE_URL must start with postgres://');
    expect(refused.join('\n')).not.toContain('s3cret');
  });

  it('reads the cloud call deadlines and the reconcile interval, refusing anything but whole milliseconds', () => {
    const settings = readServerSettings({
      ...base,
      env: {
        ...base.env,
        SLIPSTREAM_LIST_TIMEOUT_MS: '2500',
        SLIPSTREAM_ACTION_TIMEOUT_MS: '90000',
        SLIPSTREAM_RECONCILE_INTERVAL_MS: '30000',
      },
    });
    expect(settings.deadlines).toEqual({ listTimeoutMs: 2500, actionTimeoutMs: 90_000 });
    expect(settings.reconcileIntervalMs).toBe(30_000);
    for (const [key, text] of [
      ['SLIPSTREAM_LIST_TIMEOUT_MS', '2.5s'],
      ['SLIPSTREAM_ACTION_TIMEOUT_MS', '0'],
      ['SLIPSTREAM_RECONCILE_INTERVAL_MS', '-1'],
    ] as const) {
      expect(() => readServerSettings({ ...base, env: { ...base.env, [key]: text } })).toThrow(
        `${key} must be a whole number from 1 to 999999; got "${text}".`,
      );
    }
  });

  it('bounds the number of instances (SLIPSTREAM_MAX_INSTANCES, 200 by default), naming where the list came from', () => {
    expect(
      problemsOf({
        ...base,
        env: { SLIPSTREAM_CONNECTORS: 'local,a:local,b:local', SLIPSTREAM_MAX_INSTANCES: '2' },
      }),
    ).toEqual([
      'The connector list has 3 instances; this server takes at most 2 (SLIPSTREAM_MAX_INSTANCES). Remove instances, or raise the limit.',
    ]);
    const many = ['local', ...Array.from({ length: 200 }, (_, i) => `l${i}:local`)].join(',');
    expect(problemsOf({ ...base, env: { SLIPSTREAM_CONNECTORS: many } })[0]).toContain('at most 200');
    expect(problemsOf({ ...base, env: { SLIPSTREAM_MAX_INSTANCES: 'none' } })).toEqual([
      'SLIPSTREAM_MAX_INSTANCES must be a whole number from 1 to 999999; got "none".',
    ]);
    expect(readServerSettings({ ...base, env: { SLIPSTREAM_MAX_INSTANCES: '5' } }).maxInstances).toBe(5);
  });

  it('reads the environment and --strict', () => {
    const settings = readServerSettings({
      ...base,
      env: {
        HOST: '0.0.0.0',
        PORT: '9090',
        SLIPSTREAM_HOME: '/var/lib/slipstream',
        SLIPSTREAM_CONNECTORS: 'cloudstack,cloud2:cloudstack',
        SLIPSTREAM_ADMIN_PASSWORD: 'initial-secret',
        SLIPSTREAM_LOG_LEVEL: 'Debug',
      },
      argv: ['--strict'],
    });
    expect(settings).toMatchObject({
      home: '/var/lib/slipstream',
      host: '0.0.0.0',
      port: 9090,
      strict: true,
      adminPassword: 'initial-secret',
      logLevel: 'debug',
      firstStartVariables: ['SLIPSTREAM_CONNECTORS', 'SLIPSTREAM_ADMIN_PASSWORD'],
      initial: { basics: { connectors: 'cloudstack,cloud2:cloudstack' } },
    });
  });

  it('reads the reverse proxies to trust, refusing what is not an address, a range or a name', () => {
    const env = { SLIPSTREAM_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' };
    expect(readServerSettings({ ...base, env }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    expect(readServerSettings(base).trustProxy).toBeUndefined();
    expect(problemsOf({ ...base, env: { SLIPSTREAM_TRUST_PROXY: 'true,10.0.0.0/33' } })).toEqual([
      'SLIPSTREAM_TRUST_PROXY: "true" is not an address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; list the reverse proxies in front of the server, separated by commas.',
      'SLIPSTREAM_TRUST_PROXY: "10.0.0.0/33" is not an address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; list the reverse proxies in front of the server, separated by commas.',
    ]);
  });

  it('writes readable lines on a terminal and JSON elsewhere, unless SLIPSTREAM_LOG_FORMAT says', () => {
    expect(readServerSettings({ ...base, terminal: true }).logFormat).toBe('pretty');
    expect(readServerSettings({ ...base, terminal: false }).logFormat).toBe('json');
    const json = { ...base, terminal: true, env: { SLIPSTREAM_LOG_FORMAT: 'JSON' } };
    expect(readServerSettings(json).logFormat).toBe('json');
    const pretty = { ...base, terminal: false, env: { SLIPSTREAM_LOG_FORMAT: 'pretty' } };
    expect(readServerSettings(pretty).logFormat).toBe('pretty');
    expect(problemsOf({ ...base, env: { SLIPSTREAM_LOG_FORMAT: 'colour' } })).toEqual([
      'SLIPSTREAM_LOG_FORMAT must be one of auto, pretty, json; got "colour".',
    ]);
  });

  it('seeds the first start from the configuration file, the environment winning for connectors', () => {
    const file = JSON.stringify({
      basics: { connectors: 'local,lab2:local', 'session.hours': 12 },
      instances: { lab2: { 'boot.delay.ms': 10 } },
    });
    const sources = { ...base, env: { SLIPSTREAM_CONFIG: 'conf/slipstream.json' }, readFile: () => file };
    expect(readServerSettings(sources).initial).toEqual({
      basics: { connectors: 'local,lab2:local', 'session.hours': '12' },
      instances: { lab2: { 'boot.delay.ms': 10 } },
    });
    const overridden = readServerSettings({
      ...sources,
      env: { ...sources.env, SLIPSTREAM_CONNECTORS: 'local' },
    });
    expect(overridden.initial.basics.connectors).toBe('local');
  });

  it('reports every problem at once, naming what to fix', () => {
    const file = JSON.stringify({
      basic: {},
      instances: { lab2: 'fast' },
      basics: { connectors: ['local'] },
    });
    expect(
      problemsOf({
        ...base,
        env: {
          PORT: 'eighty',
          SLIPSTREAM_STRICT: 'yes',
          SLIPSTREAM_LOG_LEVEL: 'loud',
          SLIPSTREAM_CONFIG: '/etc/s.json',
        },
        argv: ['--strickt'],
        readFile: () => file,
      }),
    ).toEqual([
      'Unknown option "--strickt"; the server accepts --strict.',
      'PORT must be a whole number from 0 to 65535; got "eighty".',
      'SLIPSTREAM_STRICT must be true or false; got "yes".',
      'SLIPSTREAM_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
      '/etc/s.json: unknown key "basic"; the file may hold basics and instances.',
      '/etc/s.json: basics.connectors must be text, a number or true/false.',
      '/etc/s.json: instances.lab2 must be an object of parameters.',
    ]);
  });

  it('says when the configuration file is missing or not JSON', () => {
    const missing = Object.assign(new Error('gone'), { code: 'ENOENT' });
    expect(
      problemsOf({
        ...base,
        env: { SLIPSTREAM_CONFIG: 'missing.json' },
        readFile: () => {
          throw missing;
        },
      }),
    ).toEqual(['SLIPSTREAM_CONFIG names /srv/slipstream/missing.json, but it does not exist.']);
    expect(
      problemsOf({ ...base, env: { SLIPSTREAM_CONFIG: '/x.json' }, readFile: () => '{"basics": ' })[0],
    ).toMatch(/^\/x\.json is not valid JSON \(.+\); fix the file or unset SLIPSTREAM_CONFIG\.$/);
  });
});
