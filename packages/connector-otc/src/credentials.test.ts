import { ConnectorError, createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { readCredentials } from './credentials.js';
import definition from './index.js';

function refusal(credentials: Record<string, string>): ConnectorError {
  try {
    readCredentials(credentials);
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error('the credentials were accepted');
}

describe('OTC credentials: an IAM user or an access key', () => {
  it('reads an IAM user, trimming names but not the password', () => {
    expect(readCredentials({ username: ' alice ', password: ' pw ', domain: 'OTC001' })).toEqual({
      kind: 'password',
      username: 'alice',
      password: ' pw ',
      domain: 'OTC001',
      project: undefined,
    });
  });

  it('reads an access key with a project', () => {
    expect(readCredentials({ 'access.key': 'AK', 'secret.key': 'SK', project: 'eu-de_x' })).toEqual({
      kind: 'access-key',
      accessKey: 'AK',
      secretKey: 'SK',
      project: 'eu-de_x',
    });
  });

  it('names every missing credential of a partial IAM user', () => {
    const error = refusal({ username: 'alice' });
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.problems.map((problem) => problem.key)).toEqual(['password', 'domain']);
    expect(error.message).toContain('"password" is required with "username"');
  });

  it('names the missing half of an access key', () => {
    const error = refusal({ 'secret.key': 'SK' });
    expect(error.problems.map((problem) => problem.key)).toEqual(['access.key']);
    expect(error.message).toContain('access.key and secret.key');
  });

  it('refuses both ways at once, naming each credential given', () => {
    const error = refusal({ username: 'alice', password: 'pw', 'access.key': 'AK' });
    expect(error.problems.map((problem) => problem.key)).toEqual(['username', 'password', 'access.key']);
    expect(error.message).not.toContain('pw');
  });

  it('asks for one way or the other when nothing is given (blank values count as nothing)', () => {
    const error = refusal({ username: '  ', project: 'eu-de' });
    expect(error.problems.map((problem) => problem.key)).toEqual(['username', 'password', 'domain']);
    expect(error.message).toContain('access.key and secret.key');
  });

  it('is checked when a session opens, before any request', async () => {
    const instance = await createInstance(definition, {
      parameters: { 'endpoint.iam': 'http://127.0.0.1:1/v3' },
    });
    try {
      await expect(instance.session({ username: 'alice', 'secret.key': 'SK' })).rejects.toMatchObject({
        code: 'CREDENTIALS_INVALID',
      });
      await expect(instance.session({})).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    } finally {
      await instance.close();
    }
  });
});
