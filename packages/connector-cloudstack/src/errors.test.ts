import { ConnectorError, HTTP_STATUS_MEANINGS, type HttpResponse } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import {
  CLOUDSTACK_ERROR_CODES,
  errorCodeFor,
  errorFromResponse,
  failureError,
  failureIn,
  isQuotaFailure,
} from './errors.js';

function response(status: number, body: string): HttpResponse {
  return {
    status,
    headers: {},
    body,
    url: 'https://cloud.example/client/api?command=listZones',
    json: <T>() => JSON.parse(body) as T,
  };
}

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
    [502, 'CLOUD_UNAVAILABLE'],
    [504, 'TIMEOUT'],
  ])('maps errorcode %i to %s', (errorcode, code) => {
    expect(errorCodeFor({ errorcode, errortext: 'x' })).toBe(code);
  });

  it("retries an errorcode that is an HTTP status as core's table says, CloudStack's own by their code", () => {
    for (const [status, meaning] of Object.entries(HTTP_STATUS_MEANINGS)) {
      const errorcode = Number(status);
      if (CLOUDSTACK_ERROR_CODES[errorcode] !== undefined) continue;
      const error = failureError({ errorcode, errortext: 'x' }, { command: 'listZones', status: errorcode });
      expect({ errorcode, code: error.code, retryable: error.retryable }).toEqual({
        errorcode,
        code: meaning.code,
        retryable: meaning.retryable,
      });
    }
    expect(failureError({ errorcode: 533, errortext: 'no capacity' }, { command: 'x' }).retryable).toBe(true);
    expect(failureError({ errorcode: 431, errortext: 'bad' }, { command: 'x' }).retryable).toBe(false);
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

  it("reads an answer without CloudStack's envelope by its HTTP status, a 404 as a wrong endpoint", () => {
    const notFound = errorFromResponse('listZones', response(404, '<html>Not Found</html>'));
    expect(notFound).toMatchObject({ code: 'CLOUD_ERROR', status: 404, retryable: false });
    expect(notFound.message).toBe(
      'CloudStack listZones answered HTTP 404: is the endpoint the CloudStack API URL (…/client/api)?',
    );
    expect(errorFromResponse('listZones', response(403, 'Forbidden')).code).toBe('PERMISSION_DENIED');
    expect(errorFromResponse('listZones', response(400, 'Bad Request')).code).toBe('INVALID_REQUEST');
    expect(errorFromResponse('listZones', response(502, 'Bad Gateway'))).toMatchObject({
      code: 'CLOUD_UNAVAILABLE',
      retryable: true,
    });
    // CloudStack's own numbers apply only to its envelope: from a proxy, 531 is just a server error.
    expect(errorFromResponse('listZones', response(531, 'oops')).code).toBe('CLOUD_ERROR');
    const envelope = errorFromResponse(
      'listZones',
      response(531, '{"listzonesresponse":{"errorcode":531,"errortext":"denied"}}'),
    );
    expect(envelope.code).toBe('PERMISSION_DENIED');
  });
});
