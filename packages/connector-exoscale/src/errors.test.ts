import { type HttpResponse, statusMeaning } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { errorFromOperation, errorFromResponse, exoscaleMessage } from './errors.js';

function response(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers,
    body,
    url: 'https://api-ch-gva-2.exoscale.com/v2/instance',
    json: () => JSON.parse(body),
  };
}

describe('exoscaleMessage', () => {
  it('reads the message of the shapes Exoscale answers', () => {
    expect(exoscaleMessage('{"message":"Instance not found"}')).toBe('Instance not found');
    expect(exoscaleMessage('{"error":"internal failure"}')).toBe('internal failure');
    expect(exoscaleMessage('{"type":"#/x","title":"Bad Request","detail":"GPU type must be valid"}')).toBe(
      'GPU type must be valid',
    );
    expect(exoscaleMessage('service unavailable')).toBe('service unavailable');
    expect(exoscaleMessage('{}')).toBeUndefined();
    expect(exoscaleMessage('')).toBeUndefined();
  });

  it('shortens a long message', () => {
    expect(exoscaleMessage(JSON.stringify({ message: 'x'.repeat(1000) }))?.length).toBe(301);
  });
});

describe('errorFromResponse', () => {
  it.each([
    [400, '{"message":"Invalid request: disk-size"}', 'INVALID_REQUEST'],
    [401, '{"message":"Missing Authorization header"}', 'AUTH_FAILED'],
    [403, '{"message":"Invalid request signature"}', 'AUTH_FAILED'],
    [403, '{"message":"Quota exceeded for compute instances"}', 'QUOTA_EXCEEDED'],
    [404, '{"message":"Instance not found"}', 'NOT_FOUND'],
    [409, '{"message":"VM is running"}', 'INVALID_REQUEST'],
    [429, '{"message":"Too many requests"}', 'RATE_LIMITED'],
    [500, '{"message":"boom"}', 'CLOUD_ERROR'],
    [501, '{"message":"no"}', 'UNSUPPORTED'],
    [502, '{"message":"bad gateway"}', 'CLOUD_UNAVAILABLE'],
    [503, '{"message":"Endpoint template temporarily unavailable"}', 'CLOUD_UNAVAILABLE'],
    [504, '{"message":"gateway timeout"}', 'TIMEOUT'],
    [418, 'teapot', 'INVALID_REQUEST'],
    [422, '{"message":"Unprocessable"}', 'INVALID_REQUEST'],
    [408, '{"message":"Request timeout"}', 'TIMEOUT'],
    [302, '{"message":"Moved"}', 'CLOUD_ERROR'],
    [507, '{"message":"Insufficient storage"}', 'CLOUD_ERROR'],
  ])('maps %i %s to %s', (status, body, code) => {
    const error = errorFromResponse('create-instance', response(status, body));
    expect(error.code).toBe(code);
    // Retrying is the status's own meaning in core's table, whatever code Exoscale's message picks.
    expect(error.retryable).toBe(statusMeaning(status).retryable);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`Exoscale refused create-instance (HTTP ${status})`);
    expect(error.message).toContain(exoscaleMessage(body) ?? '');
  });

  it('reads only 403 as a quota refusal when its message is about a quota', () => {
    const quota = errorFromResponse('create-instance', response(403, '{"message":"Quota exceeded"}'));
    expect(quota).toMatchObject({ code: 'QUOTA_EXCEEDED', retryable: false });
    expect(errorFromResponse('create-instance', response(400, '{"message":"Quota exceeded"}')).code).toBe(
      'INVALID_REQUEST',
    );
  });

  it('says how to fix refused credentials and an exhausted quota', () => {
    expect(
      errorFromResponse('list-ssh-keys', response(403, '{"message":"API key revoked"}')).message,
    ).toMatch(/Check the API key and secret/);
    expect(errorFromResponse('create-instance', response(403, '{"message":"quota"}')).message).toMatch(
      /raise/,
    );
  });

  it('carries Retry-After', () => {
    const error = errorFromResponse('list-instances', response(429, '{}', { 'retry-after': '7' }));
    expect(error.retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('no message');
  });
});

describe('errorFromOperation', () => {
  it('maps failure reasons to codes and quotes the message', () => {
    const failed = (reason?: string) =>
      errorFromOperation('delete-instance', { id: 'op-1', state: 'failure', reason, message: 'it broke' });
    expect(failed('incorrect').code).toBe('INVALID_REQUEST');
    expect(failed('forbidden').code).toBe('PERMISSION_DENIED');
    expect(failed('not-found').code).toBe('NOT_FOUND');
    expect(failed('busy').code).toBe('CLOUD_UNAVAILABLE');
    expect(failed('unsupported').code).toBe('UNSUPPORTED');
    expect(failed('fault').code).toBe('CLOUD_ERROR');
    expect(failed(undefined).code).toBe('CLOUD_ERROR');
    expect(failed('fault').message).toBe(
      'Exoscale operation op-1 (delete-instance) failed: it broke; reason: fault.',
    );
  });

  it('maps an operation that timed out to TIMEOUT', () => {
    const error = errorFromOperation('create-instance', { id: 'op-2', state: 'timeout' });
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('no reason given');
  });
});
