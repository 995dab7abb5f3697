import { describe, expect, it } from 'vitest';
import { otcErrorFromResponse, readOtcFault } from './errors.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers,
});

describe('OTC error answers', () => {
  it("reads the gateway's and IAM's error_code / error_msg", () => {
    expect(
      readOtcFault(
        JSON.stringify({
          error_msg: 'Incorrect IAM authentication information: x',
          error_code: 'APIGW.0301',
          request_id: 'r',
        }),
      ),
    ).toEqual({ code: 'APIGW.0301', message: 'Incorrect IAM authentication information: x' });
    expect(readOtcFault('{"error": {"code": 401}}')).toBeUndefined();
    expect(readOtcFault('<html>')).toBeUndefined();
  });

  it('maps the statuses, quoting the code, with an access-key hint on 401 and secrets scrubbed', () => {
    const refused = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(401, { error_msg: 'verify aksk signature fail for SECRET-VALUE', error_code: 'APIGW.0301' }),
      ['SECRET-VALUE'],
    );
    expect(refused.code).toBe('AUTH_FAILED');
    expect(refused.message).toContain(
      'IAM list-projects answered 401 APIGW.0301: verify aksk signature fail',
    );
    expect(refused.message).toContain('15 minutes');
    expect(refused.message).not.toContain('SECRET-VALUE');
    const forbidden = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(403, {
        error_msg: 'The IAM user is not authorized to access the API.',
        error_code: 'APIGW.0302',
      }),
      [],
    );
    expect(forbidden.code).toBe('PERMISSION_DENIED');
    const throttled = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(429, { error_msg: 'Too many requests', error_code: 'APIGW.0308' }, { 'retry-after': '3' }),
      [],
    );
    expect(throttled).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
    const failed = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(500, { error_msg: 'System error.', error_code: 'IAM.0001' }),
      [],
    );
    expect(failed).toMatchObject({ code: 'CLOUD_ERROR', retryable: false, status: 500 });
    const away = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(503, { error_msg: 'Service unavailable.', error_code: 'APIGW.0201' }),
      [],
    );
    expect(away).toMatchObject({ code: 'CLOUD_UNAVAILABLE', retryable: true });
  });

  it("falls back to the OpenStack services' bodies", () => {
    const error = otcErrorFromResponse(
      'IAM',
      'list-projects',
      answer(401, {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      }),
      [],
    );
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('requires authentication');
  });
});
