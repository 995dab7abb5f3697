import type { HttpResponse } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import {
  codeForOneError,
  errorFromFailure,
  errorFromResponse,
  malformedAnswer,
  ONE_ERROR_CODES,
} from './errors.js';
import { XmlRpcFault, XmlRpcFormatError } from './xmlrpc.js';

const response = (status: number, body: string, type = 'text/plain'): HttpResponse => ({
  status,
  headers: { 'content-type': type },
  body,
  url: 'http://one.example.org:2633/RPC2',
  json: () => JSON.parse(body),
});

describe('oned error codes', () => {
  it.each([
    [
      'AUTHENTICATION',
      ONE_ERROR_CODES.AUTHENTICATION,
      "User couldn't be authenticated, aborting call.",
      'AUTH_FAILED',
    ],
    [
      'AUTHORIZATION',
      ONE_ERROR_CODES.AUTHORIZATION,
      'Not authorized to perform MANAGE VM [7].',
      'PERMISSION_DENIED',
    ],
    [
      'AUTHORIZATION (quota)',
      ONE_ERROR_CODES.AUTHORIZATION,
      'User [3] : VM quota exceeded.',
      'QUOTA_EXCEEDED',
    ],
    ['NO_EXISTS', ONE_ERROR_CODES.NO_EXISTS, 'Error getting virtual machine [9].', 'NOT_FOUND'],
    ['ACTION', ONE_ERROR_CODES.ACTION, 'Wrong state to perform action', 'INVALID_REQUEST'],
    ['XML_RPC_API', ONE_ERROR_CODES.XML_RPC_API, 'Wrong parameter', 'INVALID_REQUEST'],
    ['INTERNAL', ONE_ERROR_CODES.INTERNAL, 'Database failure', 'CLOUD_ERROR'],
    ['ALLOCATE (capacity)', ONE_ERROR_CODES.ALLOCATE, 'Not enough capacity in any host', 'QUOTA_EXCEEDED'],
    ['ALLOCATE', ONE_ERROR_CODES.ALLOCATE, 'Error allocating a new virtual machine template.', 'CLOUD_ERROR'],
    ['LOCKED', ONE_ERROR_CODES.LOCKED, 'The resource is locked', 'INVALID_REQUEST'],
    ['an unknown code', 0x10000, 'What?', 'CLOUD_ERROR'],
  ])('maps %s to its contract code', (_, code, message, expected) => {
    expect(codeForOneError(code, message)).toBe(expected);
    const error = errorFromFailure('one.vm.action', `[one.vm.action] ${message}`, code);
    expect(error.code).toBe(expected);
    expect(error.message).toContain(`OpenNebula refused one.vm.action`);
    expect(error.message).toContain(message);
  });

  it('says a locked VM is locked and how to unlock it', () => {
    expect(
      errorFromFailure('one.vm.action', '[one.vm.action] locked', ONE_ERROR_CODES.LOCKED).message,
    ).toContain('The VM is locked: unlock it (onevm unlock)');
  });
});

describe('answers that are not oned answers', () => {
  it('maps HTTP statuses through core and keeps Retry-After', () => {
    const throttled = errorFromResponse('one.vmpool.info', {
      ...response(429, 'slow down'),
      headers: { 'retry-after': '3' },
    });
    expect(throttled).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryable: true,
      retryAfterMs: 3000,
    });
    expect(errorFromResponse('one.vmpool.info', response(503, 'busy')).code).toBe('CLOUD_UNAVAILABLE');
    expect(errorFromResponse('one.vmpool.info', response(401, 'no')).code).toBe('AUTH_FAILED');
  });

  it('names a proxy page as HTML rather than quoting it', () => {
    const error = errorFromResponse(
      'one.vmpool.info',
      response(502, '<html><body>Bad gateway</body></html>', 'text/html'),
    );
    expect(error.message).toBe(
      'The OpenNebula endpoint answered one.vmpool.info with HTTP 502 and an HTML page (a proxy or web server, not oned).',
    );
  });

  it('names a fault, a body cut short and an HTML page answered with 200, by the method', () => {
    expect(malformedAnswer('one.vmpool.info', new XmlRpcFault(-501, 'Expected 5 parameters')).message).toBe(
      'The OpenNebula endpoint answered one.vmpool.info with an XML-RPC fault -501: Expected 5 parameters.',
    );
    expect(
      malformedAnswer('one.vm.info', new XmlRpcFormatError('the body is not well-formed XML (x)')).message,
    ).toBe(
      'The OpenNebula endpoint answered one.vm.info with something that is not an XML-RPC answer: the body is not well-formed XML (x).',
    );
    const html = malformedAnswer(
      'one.user.info',
      new XmlRpcFormatError('x'),
      response(200, '<!DOCTYPE html><html>login</html>'),
    );
    expect(html.code).toBe('CLOUD_ERROR');
    expect(html.message).toContain('with an HTML page, not XML-RPC: check that parameter "endpoint"');
  });
});
