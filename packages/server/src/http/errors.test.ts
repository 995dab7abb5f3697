import { ConnectorError, ERROR_CODES } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { errorAnswer, statusForCode } from './errors.js';
import { describeValidation } from './validation.js';

const LIMIT = { bodyLimit: 1024 };

describe('statusForCode', () => {
  it('maps the request, auth and cloud codes to their HTTP statuses', () => {
    expect(statusForCode('INVALID_REQUEST')).toBe(400);
    expect(statusForCode('CONFIG_INVALID')).toBe(400);
    expect(statusForCode('CREDENTIALS_INVALID')).toBe(400);
    expect(statusForCode('AUTH_FAILED')).toBe(401);
    expect(statusForCode('PERMISSION_DENIED')).toBe(403);
    expect(statusForCode('NOT_FOUND')).toBe(404);
    expect(statusForCode('QUOTA_EXCEEDED')).toBe(409);
    expect(statusForCode('RATE_LIMITED')).toBe(429);
    expect(statusForCode('CLOUD_ERROR')).toBe(502);
  });

  it('gives every code a status', () => {
    for (const code of ERROR_CODES) expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
  });
});

describe('errorAnswer', () => {
  it('keeps a ConnectorError code, message and problems, without its cause', () => {
    const error = new ConnectorError('CONFIG_INVALID', 'Fix the list.', {
      problems: [{ position: 2, text: 'nope', message: 'Unknown connector "nope".' }],
      cause: new Error('internal secret detail'),
    });
    const answer = errorAnswer(error, LIMIT);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'CONFIG_INVALID',
        message: 'Fix the list.',
        problems: [{ position: 2, text: 'nope', message: 'Unknown connector "nope".' }],
      },
    });
    expect(JSON.stringify(answer.body)).not.toContain('internal secret detail');
  });

  it('turns RATE_LIMITED retryAfterMs into whole Retry-After seconds, at least one', () => {
    expect(
      errorAnswer(new ConnectorError('RATE_LIMITED', 'wait', { retryAfterMs: 1500 }), LIMIT)
        .retryAfterSeconds,
    ).toBe(2);
    expect(
      errorAnswer(new ConnectorError('RATE_LIMITED', 'wait', { retryAfterMs: 1 }), LIMIT).retryAfterSeconds,
    ).toBe(1);
    expect(errorAnswer(new ConnectorError('NOT_FOUND', 'x'), LIMIT).retryAfterSeconds).toBeUndefined();
  });

  it('hides the message of an unexpected error behind a generic 500', () => {
    const answer = errorAnswer(new Error('ECONNREFUSED postgres://user:hunter2@db'), LIMIT);
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    expect(errorAnswer('a string', LIMIT).status).toBe(500);
    expect(errorAnswer(null, LIMIT).status).toBe(500);
  });

  it('rewords Fastify client errors and never echoes their text', () => {
    const tooLarge = errorAnswer(
      { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'x' },
      LIMIT,
    );
    expect(tooLarge).toEqual({
      status: 413,
      body: {
        error: {
          code: 'INVALID_REQUEST',
          message: 'The request body is too large; send at most 1024 bytes.',
        },
      },
    });
    const other = errorAnswer({ code: 'FST_SOMETHING', statusCode: 405, message: 'secret-ish' }, LIMIT);
    expect(other.status).toBe(405);
    expect(other.body.error.message).not.toContain('secret-ish');
  });

  it('lists every validation problem, the first as the message', () => {
    const answer = errorAnswer(
      {
        statusCode: 400,
        validationContext: 'body',
        validation: [
          { keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'extra' } },
          { keyword: 'type', instancePath: '/name', params: { type: 'string' } },
        ],
      },
      LIMIT,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe('Unknown field "extra" in the request body; remove it.');
    expect(answer.body.error.problems).toEqual([
      { key: 'extra', message: 'Unknown field "extra" in the request body; remove it.' },
      { key: 'name', message: '"name" in the request body must be a string.' },
    ]);
  });
});

describe('describeValidation', () => {
  it('names nested fields with dots and the required field', () => {
    expect(
      describeValidation('body', {
        keyword: 'required',
        instancePath: '/instances/lab',
        params: { missingProperty: 'zone' },
      }).message,
    ).toBe(
      'The field "instances.lab.zone" in the request body is required. See this route in /api/openapi.json for what it takes.',
    );
    expect(
      describeValidation(
        'body',
        { keyword: 'type', instancePath: '', params: { type: 'object' } },
        { example: { name: 'alice', password: '…' } },
      ).message,
    ).toBe('The request body must be a JSON object such as {"name": "alice", "password": "…"}.');
  });
});
