import { describe, expect, it } from 'vitest';
import { alterSecret, secretsOf } from './credentials.js';
import { defaultBadCredentials } from './index.js';
import { fakeConnector } from './testing/fake-connector.js';

describe('alterSecret', () => {
  it('changes every letter and digit, keeping length and character classes', () => {
    expect(alterSecret('demo-secret')).toBe('efnp-tfdsfu');
    expect(alterSecret('zZ9/aA0+')).toBe('aA0/bB1+');
  });

  it('never returns a value containing the original', () => {
    for (const value of ['a', 'abab', 'demo-secret', 'zzzz', 'AKIA0000']) {
      expect(alterSecret(value)).not.toContain(value);
      expect(alterSecret(value)).toHaveLength(value.length);
    }
  });

  it('appends to values without letters or digits', () => {
    expect(alterSecret('--')).toBe('--x-conformance');
    expect(alterSecret('')).toBe('x-conformance');
  });
});

describe('defaultBadCredentials', () => {
  it('changes the secret credentials only', () => {
    expect(defaultBadCredentials(fakeConnector(), { key: 'alice', secret: 'alice-secret' })).toEqual({
      key: 'alice',
      secret: 'bmjdf-tfdsfu',
    });
  });

  it('changes every credential when none is secret', () => {
    const definition = {
      credentials: [{ key: 'user', label: 'User', description: '', type: 'string' as const }],
    };
    expect(defaultBadCredentials(definition, { user: 'bob' })).toEqual({ user: 'cpc' });
  });
});

describe('secretsOf', () => {
  it('counts the default of a secret parameter left out', () => {
    const definition = {
      credentials: [],
      parameters: [
        {
          key: 'accounts',
          label: 'A',
          description: '',
          type: 'secret' as const,
          default: 'demo:demo-secret',
        },
      ],
    };
    expect(secretsOf(definition, { parameters: {}, credentials: {}, badCredentials: {} })).toEqual([
      { label: 'parameter "accounts"', value: 'demo:demo-secret' },
    ]);
  });

  it('collects good and bad secret credentials and secret parameters, once each', () => {
    const secrets = secretsOf(fakeConnector(), {
      parameters: { endpoint: 'http://x.invalid', 'admin.secret': 'admin-secret' },
      credentials: { key: 'alice', secret: 'alice-secret' },
      badCredentials: { key: 'alice', secret: 'alice-secret' },
    });
    expect(secrets).toEqual([
      { label: 'credential "secret"', value: 'alice-secret' },
      { label: 'parameter "admin.secret"', value: 'admin-secret' },
    ]);
  });
});
