import { describe, expect, it } from 'vitest';
import { keystonePaths, renderKeystoneConf } from './config.js';

/** The options of one section, as oslo.config would read them. */
function section(conf: string, name: string): Record<string, string> {
  const lines = conf.split('\n');
  const start = lines.indexOf(`[${name}]`);
  expect(start).toBeGreaterThanOrEqual(0);
  const options: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[')) break;
    const match = /^(\w+) = (.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) options[match[1]] = match[2];
  }
  return options;
}

describe('renderKeystoneConf', () => {
  const paths = keystonePaths('/tmp/ks-1');

  it('keeps the database, keys and log in the directory and uses fernet tokens', () => {
    const conf = renderKeystoneConf(paths);
    expect(section(conf, 'database')).toEqual({ connection: 'sqlite:////tmp/ks-1/keystone.db' });
    expect(section(conf, 'token')).toEqual({ provider: 'fernet' });
    expect(section(conf, 'identity')).toEqual({ password_hash_rounds: '4' });
    expect(section(conf, 'fernet_tokens')).toEqual({ key_repository: '/tmp/ks-1/fernet-keys' });
    expect(section(conf, 'credential')).toEqual({ key_repository: '/tmp/ks-1/credential-keys' });
    expect(section(conf, 'DEFAULT')).toEqual({ log_file: '/tmp/ks-1/keystone.log', use_stderr: 'false' });
  });

  it('sets the token lifetime only when asked', () => {
    expect(section(renderKeystoneConf(paths, { tokenExpirationSeconds: 120 }), 'token')).toEqual({
      provider: 'fernet',
      expiration: '120',
    });
    expect(() => renderKeystoneConf(paths, { tokenExpirationSeconds: 0 })).toThrow(
      /tokenExpirationSeconds must be a positive whole number of seconds, got 0/,
    );
    expect(() => renderKeystoneConf(paths, { tokenExpirationSeconds: 1.5 })).toThrow(/got 1\.5/);
  });

  it('refuses paths that would break the INI file or the SQLite URL', () => {
    expect(() => renderKeystoneConf(keystonePaths('relative/dir'))).toThrow(
      /"relative\/dir" must be absolute/,
    );
    expect(() => renderKeystoneConf(keystonePaths('/tmp/a\nprovider = uuid'))).toThrow(
      /cannot go in keystone\.conf/,
    );
    expect(() => renderKeystoneConf(keystonePaths('/tmp/100%'))).toThrow(/cannot go in keystone\.conf/);
  });
});
