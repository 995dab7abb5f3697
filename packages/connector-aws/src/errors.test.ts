import { describe, expect, it } from 'vitest';
import { errorCodeFor, errorFromResponse, loadFaultReader, missingInstanceIds } from './errors.js';

const readFault = await loadFaultReader();

const body = (code: string, message: string, requestId = 'ea966190-f9aa-478e-9ede-example') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;

describe('readFault', () => {
  it("reads EC2's error envelope: code, message and request id", () => {
    expect(
      readFault(body('InvalidInstanceID.NotFound', "The instance ID 'i-1a2b3c4d' does not exist")),
    ).toEqual({
      code: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-1a2b3c4d' does not exist",
      requestId: 'ea966190-f9aa-478e-9ede-example',
    });
  });

  it('gives no code for a body that is not the envelope (a proxy page, nothing at all)', () => {
    expect(readFault('<html><body>Bad gateway</body></html>').code).toBeUndefined();
    expect(readFault('').code).toBeUndefined();
    expect(readFault('not xml <<<').code).toBeUndefined();
  });
});

describe('errorCodeFor', () => {
  it.each([
    ['AuthFailure', 401, 'AUTH_FAILED'],
    ['InvalidClientTokenId', 403, 'AUTH_FAILED'],
    ['SignatureDoesNotMatch', 403, 'AUTH_FAILED'],
    ['UnauthorizedOperation', 403, 'PERMISSION_DENIED'],
    ['RequestLimitExceeded', 503, 'RATE_LIMITED'],
    ['Throttling', 400, 'RATE_LIMITED'],
    ['InstanceLimitExceeded', 400, 'QUOTA_EXCEEDED'],
    ['VcpuLimitExceeded', 400, 'QUOTA_EXCEEDED'],
    ['InsufficientInstanceCapacity', 500, 'QUOTA_EXCEEDED'],
    ['InvalidInstanceID.NotFound', 400, 'NOT_FOUND'],
    ['InvalidInstanceID.Malformed', 400, 'INVALID_REQUEST'],
    ['IdempotentParameterMismatch', 400, 'INVALID_REQUEST'],
    ['InternalError', 500, 'CLOUD_UNAVAILABLE'],
    ['Unavailable', 503, 'CLOUD_UNAVAILABLE'],
  ] as const)('maps %s (%i) to %s', (code, status, expected) => {
    expect(errorCodeFor(status, code)).toBe(expected);
  });

  it("falls back to core's status table for a code it does not know, every 5xx transient as EC2 documents", () => {
    expect(errorCodeFor(400, 'SomethingNew')).toBe('INVALID_REQUEST');
    expect(errorCodeFor(403, undefined)).toBe('PERMISSION_DENIED');
    expect(errorCodeFor(503, undefined)).toBe('CLOUD_UNAVAILABLE');
    expect(errorCodeFor(500, undefined)).toBe('CLOUD_UNAVAILABLE');
    expect(errorCodeFor(502, 'SomethingNew')).toBe('CLOUD_UNAVAILABLE');
  });
});

describe('errorFromResponse', () => {
  it('names the action, the status, the code, the message and the request id, and says what to do', () => {
    const error = errorFromResponse(
      'RunInstances',
      {
        status: 400,
        headers: {},
        body: body(
          'IdempotentParameterMismatch',
          'Client token already used with different parameters.',
          'req-42',
        ),
      },
      readFault,
    );
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.message).toContain('EC2 RunInstances answered 400 IdempotentParameterMismatch');
    expect(error.message).toContain('request id req-42');
    expect(error.message).toContain('idempotency key was already used for a different launch');
  });

  it('marks throttling retryable and keeps Retry-After when a proxy sends one', () => {
    const error = errorFromResponse(
      'DescribeInstances',
      {
        status: 503,
        headers: { 'retry-after': '2' },
        body: body('RequestLimitExceeded', 'Request limit exceeded.'),
      },
      readFault,
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(2000);
  });
});

describe('missingInstanceIds', () => {
  it('reads the ids of one or several unknown instances', () => {
    expect(missingInstanceIds("The instance ID 'i-0123456789abcdef0' does not exist")).toEqual([
      'i-0123456789abcdef0',
    ]);
    expect(missingInstanceIds("The instance IDs 'i-1a2b3c4d, i-0123456789abcdef0' do not exist")).toEqual([
      'i-1a2b3c4d',
      'i-0123456789abcdef0',
    ]);
    expect(missingInstanceIds('Something else')).toEqual([]);
  });
});
