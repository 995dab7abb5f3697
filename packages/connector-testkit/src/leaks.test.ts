import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { findSecretLeaks } from './index.js';
import { maskSecret } from './leaks.js';

const SECRET = 's3cr3t/value+x';

describe('findSecretLeaks', () => {
  it('finds nothing in an error that holds no secret', () => {
    const error = new ConnectorError('AUTH_FAILED', 'The cloud rejected access key "alice".', {
      cause: new Error('401 Unauthorized'),
      problems: [{ key: 'secret', message: 'Credential "secret" is required.' }],
    });
    expect(findSecretLeaks(error, [SECRET])).toEqual([]);
  });

  it('finds a secret in the message, and says where and how', () => {
    const leaks = findSecretLeaks(new Error(`bad signature for ${SECRET}`), ['unrelated', SECRET]);
    expect(leaks.map((leak) => leak.where)).toEqual(['message', 'stack', 'util.inspect']);
    expect(leaks.every((leak) => leak.index === 1 && leak.form === 'verbatim')).toBe(true);
    expect(leaks[0]?.hint).toBe('s3… (14 characters)');
    expect(JSON.stringify(leaks)).not.toContain(SECRET);
  });

  it('finds a secret deep in the cause chain through util.inspect', () => {
    const inner = new Error(`request https://cloud/api?secret=${SECRET} failed`);
    const error = new ConnectorError('CLOUD_ERROR', 'The cloud failed.', {
      cause: new Error('wrapped', { cause: inner }),
    });
    expect(findSecretLeaks(error, [SECRET]).map((leak) => leak.where)).toEqual(['util.inspect']);
  });

  it('finds a secret in an enumerable property, through JSON and util.inspect', () => {
    const error = Object.assign(new Error('request failed'), {
      request: { headers: { authorization: SECRET } },
    });
    expect(findSecretLeaks(error, [SECRET]).map((leak) => leak.where)).toEqual([
      'JSON.stringify',
      'util.inspect',
    ]);
  });

  it('finds a secret in the problems of a multi-problem error', () => {
    const error = new ConnectorError('CREDENTIALS_INVALID', 'Credentials are malformed.', {
      problems: [
        { key: 'key', message: 'fine' },
        { key: 'secret', message: 'bad', text: SECRET },
      ],
    });
    const where = findSecretLeaks(error, [SECRET]).map((leak) => leak.where);
    expect(where).toContain('problems[1].text');
    expect(where).toContain('JSON.stringify');
  });

  it('finds the percent-encoded form, as in a query string', () => {
    const leaks = findSecretLeaks(new Error(`GET /?sig=${encodeURIComponent(SECRET)}`), [SECRET]);
    expect(leaks[0]).toMatchObject({ where: 'message', form: 'percent-encoded' });
  });

  it('ignores values too short to be told apart from ordinary text', () => {
    expect(findSecretLeaks(new Error('abc failed'), ['abc', ''])).toEqual([]);
  });

  it('checks things thrown that are not errors', () => {
    expect(findSecretLeaks(`oops ${SECRET}`, [SECRET]).map((leak) => leak.where)).toEqual([
      'String(error)',
      'JSON.stringify',
      'util.inspect',
    ]);
    expect(findSecretLeaks(undefined, [SECRET])).toEqual([]);
  });

  it('survives errors JSON cannot serialize', () => {
    const error = new Error('cyclic') as Error & { self?: unknown };
    error.self = error;
    expect(() => findSecretLeaks(error, [SECRET])).not.toThrow();
    const big = Object.assign(new Error('big'), { n: 1n, detail: SECRET });
    expect(findSecretLeaks(big, [SECRET]).map((leak) => leak.where)).toEqual(['util.inspect']);
  });

  it('masks a secret to its first two characters and length', () => {
    expect(maskSecret('hunter22')).toBe('hu… (8 characters)');
  });
});
