import type { HttpResponse } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, errorFromTask, readFault } from './errors.js';

const response = (
  status: number,
  body: string,
  type = 'application/vnd.vmware.vcloud.error+xml',
): HttpResponse => ({
  status,
  headers: { 'content-type': type },
  body,
  url: 'https://vcd.example.org/api/query',
  json: () => JSON.parse(body),
});

const errorXml = (major: number, minor: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="${major}" message="${message}" minorErrorCode="${minor}" stackTrace="x"/>`;

describe('vCloud errors', () => {
  it('reads the Error element and cloudapi JSON alike', () => {
    expect(readFault(errorXml(404, 'RESOURCE_NOT_FOUND', 'No access to entity'))).toEqual({
      minorErrorCode: 'RESOURCE_NOT_FOUND',
      message: 'No access to entity',
    });
    expect(
      readFault('{"minorErrorCode":"UNAUTHORIZED","message":"Invalid credentials","stackTrace":null}'),
    ).toEqual({
      minorErrorCode: 'UNAUTHORIZED',
      message: 'Invalid credentials',
    });
  });

  it.each([
    [401, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', 'Not authenticated', 'AUTH_FAILED'],
    [403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', 'Access denied', 'PERMISSION_DENIED'],
    [404, 'RESOURCE_NOT_FOUND', 'No access to entity', 'NOT_FOUND'],
    [400, 'BAD_REQUEST', 'Bad request', 'INVALID_REQUEST'],
    [400, 'BAD_REQUEST', 'The operation would exceed the VDC VM quota', 'QUOTA_EXCEEDED'],
    [400, 'BAD_REQUEST', 'Running VM quota limit reached', 'QUOTA_EXCEEDED'],
    [500, 'INTERNAL_SERVER_ERROR', 'Internal error', 'CLOUD_UNAVAILABLE'],
    [503, 'SERVICE_UNAVAILABLE', 'Cell is shutting down', 'CLOUD_UNAVAILABLE'],
  ])('maps %i %s "%s" to %s, quoting vCloud', (status, minor, message, code) => {
    const error = errorFromResponse('query vm', response(status, errorXml(status, minor, message)), []);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toContain(`vCloud Director refused query vm (HTTP ${status} ${minor}): ${message}`);
  });

  it.each([
    [401, 'UNAUTHORIZED', 'Invalid credentials', 'AUTH_FAILED'],
    [403, 'ACCESS_TO_RESOURCE_IS_FORBIDDEN', 'Access denied', 'PERMISSION_DENIED'],
    [404, 'RESOURCE_NOT_FOUND', 'No session', 'NOT_FOUND'],
    [400, 'BAD_REQUEST', 'Bad request', 'INVALID_REQUEST'],
    [400, 'BAD_REQUEST', 'The requested operation will exceed the VDC quota', 'QUOTA_EXCEEDED'],
    [500, 'INTERNAL_SERVER_ERROR', 'Internal error', 'CLOUD_UNAVAILABLE'],
    [503, 'SERVICE_UNAVAILABLE', 'Cell is shutting down', 'CLOUD_UNAVAILABLE'],
  ])('maps a cloudapi JSON %i %s "%s" to %s, quoting it', (status, minor, message, code) => {
    const body = JSON.stringify({ minorErrorCode: minor, message, stackTrace: null });
    const error = errorFromResponse(
      'the login (cloudapi sessions)',
      response(status, body, 'application/json;version=38.0'),
      [],
    );
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toContain(
      `vCloud Director refused the login (cloudapi sessions) (HTTP ${status} ${minor}): ${message}`,
    );
  });

  it('keeps a 429 RATE_LIMITED even when its text speaks of a limit', () => {
    const xml = errorFromResponse(
      'query vm',
      response(429, errorXml(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded')),
      [],
    );
    expect(xml).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    const json = errorFromResponse(
      'the login (cloudapi sessions)',
      response(
        429,
        '{"minorErrorCode":"TOO_MANY_REQUESTS","message":"Request limit exceeded","stackTrace":null}',
        'application/json',
      ),
      [],
    );
    expect(json.code).toBe('RATE_LIMITED');
  });

  it('keeps a 429’s Retry-After and names a proxy page as HTML', () => {
    const throttled = errorFromResponse(
      'query vm',
      { ...response(429, ''), headers: { 'retry-after': '7' } },
      [],
    );
    expect(throttled).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000 });
    expect(
      errorFromResponse('query vm', response(502, '<html>Bad gateway</html>', 'text/html'), []).message,
    ).toContain('an HTML page (not vCloud Director)');
  });

  it('scrubs what it quotes of the secrets given', () => {
    const error = errorFromResponse('login', response(400, 'echo: Basic c2VjcmV0'), ['c2VjcmV0']);
    expect(error.message).not.toContain('c2VjcmV0');
    expect(error.message).toContain('[REDACTED]');
  });

  it('gives a failed task’s message', () => {
    const error = errorFromTask('instantiateVAppTemplate', 'error', 'Unable to deploy: no datastore.');
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toBe(
      "vCloud Director's instantiateVAppTemplate task ended in error: Unable to deploy: no datastore.",
    );
  });
});
