import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { errorCodeFor, failureError, failureIn, isQuotaFailure } from './errors.js';

describe('CloudStack error mapping', () => {
  it.each([
    [401, 'AUTH_FAILED'],
    [411, 'AUTH_FAILED'],
    [405, 'INVALID_REQUEST'],
    [429, 'RATE_LIMITED'],
    [430, 'INVALID_REQUEST'],
    [431, 'INVALID_REQUEST'],
    [432, 'UNSUPPORTED'],
    [530, 'CLOUD_ERROR'],
    [531, 'PERMISSION_DENIED'],
    [532, 'QUOTA_EXCEEDED'],
    [533, 'CLOUD_UNAVAILABLE'],
    [534, 'CLOUD_UNAVAILABLE'],
    [535, 'CLOUD_ERROR'],
    [536, 'INVALID_REQUEST'],
    [537, 'INVALID_REQUEST'],
    [503, 'CLOUD_UNAVAILABLE'],
  ])('maps errorcode %i to %s', (errorcode, code) => {
    expect(errorCodeFor({ errorcode, errortext: 'x' })).toBe(code);
  });

  it('recognizes resource limits by text, errorcode and exception code', () => {
    const modern =
      "Maximum amount of resources of Type = 'user_vm' for Account Name = alice in Domain Id = 1 is exceeded: Account Resource Limit = 2, Current Account Resource Amount = 2, Requested Resource Amount = 1.";
    expect(errorCodeFor({ errorcode: 535, cserrorcode: 9999, errortext: modern })).toBe('QUOTA_EXCEEDED');
    const legacy =
      "Maximum number of resources of type 'user_vm' for account name=alice in domain id=1 has been exceeded.";
    expect(errorCodeFor({ errorcode: 532, errortext: legacy })).toBe('QUOTA_EXCEEDED');
    expect(isQuotaFailure({ errorcode: 530, cserrorcode: 4370, errortext: 'allocation failed' })).toBe(true);
    expect(
      isQuotaFailure({
        errorcode: 431,
        errortext: "Page size can't exceed max allowed page size value: 500",
      }),
    ).toBe(false);
  });

  it('names the command, the codes and the error text; 401 says what to check', () => {
    const error = failureError(
      { errorcode: 431, cserrorcode: 4350, errortext: 'User data is not base64 encoded' },
      { command: 'deployVirtualMachine', status: 431 },
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.message).toBe(
      'CloudStack deployVirtualMachine failed with error 431, cserrorcode 4350: User data is not base64 encoded',
    );
    expect(error.status).toBe(431);
    const auth = failureError(
      { errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' },
      { command: 'listZones' },
    );
    expect(auth.code).toBe('AUTH_FAILED');
    expect(auth.message).toContain('Check the API key and secret key');
    const job = failureError(
      { errorcode: 530, errortext: 'boom' },
      { command: 'deployVirtualMachine', jobId: 'j-1' },
    );
    expect(job.message).toBe('CloudStack job j-1 (deployVirtualMachine) failed with error 530: boom');
  });

  it('finds the error object in an envelope or a job result, and nothing elsewhere', () => {
    expect(failureIn({ listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'no' } })).toEqual({
      errorcode: 401,
      cserrorcode: undefined,
      errortext: 'no',
    });
    expect(failureIn({ errorcode: '530', cserrorcode: 4250, errortext: 'x' })).toEqual({
      errorcode: 530,
      cserrorcode: 4250,
      errortext: 'x',
    });
    expect(failureIn({ listzonesresponse: { count: 1, zone: [] } })).toBeUndefined();
    expect(failureIn('<html>')).toBeUndefined();
    expect(failureIn(null)).toBeUndefined();
  });
});
