import { describe, expect, it } from 'vitest';
import { errorCodeFor, errorFromResponse, readFault } from './errors.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers,
});

describe('readFault', () => {
  it('reads Nova, Keystone, Neutron and Glance bodies', () => {
    expect(
      readFault(JSON.stringify({ itemNotFound: { code: 404, message: 'Instance x could not be found.' } })),
    ).toEqual({
      kind: 'itemNotFound',
      message: 'Instance x could not be found.',
      retryAfterSeconds: undefined,
    });
    expect(
      readFault(
        JSON.stringify({
          error: {
            code: 401,
            title: 'Unauthorized',
            message: 'The request you have made requires authentication.',
          },
        }),
      ),
    ).toMatchObject({ kind: 'Unauthorized', message: 'The request you have made requires authentication.' });
    expect(
      readFault(
        JSON.stringify({
          NeutronError: {
            type: 'OverQuota',
            message: "Quota exceeded for resources: ['floatingip'].",
            detail: '',
          },
        }),
      ),
    ).toMatchObject({ kind: 'OverQuota', message: "Quota exceeded for resources: ['floatingip']." });
    expect(
      readFault(
        JSON.stringify({ message: 'No image found with ID x', code: '404 Not Found', title: 'Not Found' }),
      ),
    ).toMatchObject({
      kind: 'Not Found',
      message: 'No image found with ID x',
    });
    expect(
      readFault(
        JSON.stringify({
          error_code: 'APIGW.0301',
          error_msg: 'Incorrect IAM authentication information',
          request_id: 'r',
        }),
      ),
    ).toMatchObject({ kind: 'APIGW.0301', message: 'Incorrect IAM authentication information' });
    expect(
      readFault(JSON.stringify({ overLimit: { code: 413, message: 'Over limit', retryAfter: '30' } })),
    ).toMatchObject({
      kind: 'overLimit',
      retryAfterSeconds: 30,
    });
  });

  it('keeps the words of an HTML or text body and survives anything else', () => {
    expect(
      readFault(
        '<html><head><title>503</title></head><body><h1>Service Unavailable</h1> try later</body></html>',
      ).message,
    ).toBe('503 Service Unavailable try later');
    expect(readFault('')).toEqual({ kind: undefined, message: undefined, retryAfterSeconds: undefined });
    expect(readFault('[1,2]').message).toBeUndefined();
    expect(readFault('{"a": 1, "b": 2}').message).toBeUndefined();
    expect(readFault('x'.repeat(1000)).message?.length).toBeLessThanOrEqual(301);
  });
});

describe('errorCodeFor', () => {
  const none = { kind: undefined, message: undefined, retryAfterSeconds: undefined };
  it("maps statuses by core's table with OpenStack's documented exceptions", () => {
    expect(errorCodeFor(401, none)).toBe('AUTH_FAILED');
    expect(
      errorCodeFor(403, { ...none, message: 'Policy does not allow os_compute_api:servers:create' }),
    ).toBe('PERMISSION_DENIED');
    expect(errorCodeFor(404, none)).toBe('NOT_FOUND');
    expect(errorCodeFor(413, none)).toBe('QUOTA_EXCEEDED');
    expect(errorCodeFor(429, { ...none, kind: 'overLimit' })).toBe('RATE_LIMITED');
    expect(
      errorCodeFor(409, { ...none, message: "Cannot 'stop' instance while it is in vm_state stopped" }),
    ).toBe('INVALID_REQUEST');
    expect(errorCodeFor(400, none)).toBe('INVALID_REQUEST');
    expect(errorCodeFor(406, { ...none, message: 'Version 2.47 is not supported by the API.' })).toBe(
      'UNSUPPORTED',
    );
    expect(errorCodeFor(302, none)).toBe('CLOUD_ERROR');
    expect(errorCodeFor(418, none)).toBe('INVALID_REQUEST');
    // Core's table: Nova's computeFault (500) is the cloud failing, not the cloud being away.
    expect(errorCodeFor(500, { ...none, kind: 'computeFault' })).toBe('CLOUD_ERROR');
    expect(errorCodeFor(501, none)).toBe('UNSUPPORTED');
    expect(errorCodeFor(502, none)).toBe('CLOUD_UNAVAILABLE');
    expect(errorCodeFor(503, none)).toBe('CLOUD_UNAVAILABLE');
    expect(errorCodeFor(504, none)).toBe('TIMEOUT');
  });

  it('reads quota refusals from 403 text and Neutron OverQuota', () => {
    const quota = {
      ...none,
      message: 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances',
    };
    expect(errorCodeFor(403, quota)).toBe('QUOTA_EXCEEDED');
    expect(errorCodeFor(403, { ...none, message: 'Maximum number of metadata items exceeds 128' })).toBe(
      'QUOTA_EXCEEDED',
    );
    expect(errorCodeFor(403, { ...none, message: 'Maximum number of ports exceeded' })).toBe(
      'QUOTA_EXCEEDED',
    );
    expect(errorCodeFor(409, { ...none, kind: 'OverQuota', message: 'x' })).toBe('QUOTA_EXCEEDED');
    // Quota text decides only on the statuses the services answer quota refusals with.
    expect(errorCodeFor(400, { ...none, message: 'Quota exceeded' })).toBe('INVALID_REQUEST');
  });
});

describe('errorFromResponse', () => {
  it('names service and operation, quotes the cloud and hints at a fix', () => {
    const error = errorFromResponse(
      'Nova',
      'create-server',
      answer(403, {
        forbidden: {
          code: 403,
          message: 'Quota exceeded for instances: Requested 1, but already used 2 of 2 instances',
        },
      }),
      [],
    );
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      "Nova create-server answered 403 forbidden: Quota exceeded for instances: Requested 1, but already used 2 of 2 instances. Free resources or ask the cloud's administrator to raise the project's quota.",
    );
  });

  it('scrubs secrets the body echoes and keeps Retry-After on rate limits', () => {
    const error = errorFromResponse(
      'Keystone',
      'create-token',
      answer(
        429,
        { error: { code: 429, title: 'Too Many Requests', message: 'slow down, token gAAAAsecret-token' } },
        { 'retry-after': '7' },
      ),
      ['gAAAAsecret-token'],
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).not.toContain('gAAAAsecret-token');
    expect(error.message).toContain('[REDACTED]');
  });

  it('makes a 500 a non-retryable CLOUD_ERROR and a 503 a retryable CLOUD_UNAVAILABLE', () => {
    const failed = errorFromResponse(
      'Nova',
      'create-server',
      answer(500, { computeFault: { code: 500, message: 'Unexpected API Error.' } }),
      [],
    );
    expect(failed).toMatchObject({ code: 'CLOUD_ERROR', retryable: false, status: 500 });
    const away = errorFromResponse('Glance', 'list-images', answer(503, 'Service Unavailable'), []);
    expect(away).toMatchObject({ code: 'CLOUD_UNAVAILABLE', retryable: true, status: 503 });
  });

  it('takes the wait from an overLimit body when there is no header', () => {
    const error = errorFromResponse(
      'Nova',
      'list-servers-detail',
      answer(429, { overLimit: { code: 429, message: 'Rate limited', retryAfter: '2' } }),
      [],
    );
    expect(error.retryAfterMs).toBe(2000);
  });
});
