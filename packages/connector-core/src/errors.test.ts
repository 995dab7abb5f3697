import { describe, expect, it } from 'vitest';
import { ConnectorError, ERROR_CODES, isAbortError, isAmbiguousFailure, throwIfAborted } from './errors.js';

describe('ConnectorError', () => {
  it('carries code, names, retryability and problems, and serializes without the stack', () => {
    const error = new ConnectorError('RATE_LIMITED', 'slow down', {
      connector: 'aws',
      instance: 'eu',
      retryAfterMs: 2000,
      status: 429,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ConnectorError',
      code: 'RATE_LIMITED',
      message: 'slow down',
      connector: 'aws',
      instance: 'eu',
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
    });
  });

  it('defaults retryable by code and lets the thrower override it', () => {
    const retryable = ERROR_CODES.filter((code) => new ConnectorError(code, 'x').retryable);
    expect(retryable).toEqual(['RATE_LIMITED', 'TIMEOUT', 'CLOUD_UNAVAILABLE']);
    expect(new ConnectorError('CLOUD_ERROR', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('is recognised across two separately loaded copies of core', async () => {
    // A second module instance, as when a connector bundles its own copy of core.
    const copy = (await import(
      /* @vite-ignore */ `./errors.js?copy=${Date.now()}`
    )) as typeof import('./errors.js');
    expect(copy.ConnectorError).not.toBe(ConnectorError);
    const foreign = new copy.ConnectorError('NOT_FOUND', 'gone');
    expect(foreign instanceof ConnectorError).toBe(false);
    expect(ConnectorError.is(foreign)).toBe(true);
    expect(ConnectorError.hasCode(foreign, 'NOT_FOUND')).toBe(true);
    expect(copy.ConnectorError.is(new ConnectorError('TIMEOUT', 't'))).toBe(true);
  });

  it('does not mistake look-alikes for ConnectorErrors', () => {
    expect(ConnectorError.is({ name: 'ConnectorError', code: 'NOT_FOUND' })).toBe(false);
    expect(ConnectorError.is(new Error('x'))).toBe(false);
    expect(ConnectorError.is(null)).toBe(false);
  });

  it('recognises aborts and refuses aborted signals', () => {
    expect(isAbortError(new DOMException('stop', 'AbortError'))).toBe(true);
    expect(() => throwIfAborted(AbortSignal.abort(), 'listImages')).toThrow(/listImages was aborted/);
    expect(() => throwIfAborted(new AbortController().signal, 'listImages')).not.toThrow();
  });
});

describe('isAmbiguousFailure', () => {
  it('is true when no answer came or the cloud failed with a server error', () => {
    expect(isAmbiguousFailure(new ConnectorError('CLOUD_UNAVAILABLE', 'reset'))).toBe(true);
    expect(isAmbiguousFailure(new ConnectorError('TIMEOUT', 'slow'))).toBe(true);
    expect(isAmbiguousFailure(new ConnectorError('CLOUD_ERROR', '500', { status: 500 }))).toBe(true);
    expect(isAmbiguousFailure(new ConnectorError('TIMEOUT', '504', { status: 504 }))).toBe(true);
  });

  it('is true when the cloud answered success but the answer could not be read', () => {
    // What the transport throws for a 200 whose JSON body was cut short.
    const garbled = new ConnectorError('CLOUD_ERROR', 'answered 200 but the body was not valid JSON', {
      status: 200,
    });
    expect(isAmbiguousFailure(garbled)).toBe(true);
    expect(
      isAmbiguousFailure(new ConnectorError('CLOUD_ERROR', 'accepted, unreadable', { status: 202 })),
    ).toBe(true);
  });

  it('is false for answers that refused the request, and for other errors', () => {
    expect(isAmbiguousFailure(new ConnectorError('INVALID_REQUEST', '400', { status: 400 }))).toBe(false);
    expect(isAmbiguousFailure(new ConnectorError('QUOTA_EXCEEDED', 'full'))).toBe(false);
    expect(isAmbiguousFailure(new Error('plain'))).toBe(false);
    expect(isAmbiguousFailure(new ConnectorError('QUOTA_EXCEEDED', 'full', { status: 403 }))).toBe(false);
  });

  it('calls a lost answer or a gateway failure ambiguous, whatever code it was mapped to', () => {
    expect(isAmbiguousFailure(new ConnectorError('CLOUD_UNAVAILABLE', 'gw', { status: 504 }))).toBe(true);
    expect(isAmbiguousFailure(new ConnectorError('CLOUD_UNAVAILABLE', 'fault', { status: 500 }))).toBe(true);
  });
});
