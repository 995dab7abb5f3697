import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactUrl, redactValues } from './redact.js';

describe('redaction', () => {
  it('blanks credential query parameters by name and strips user info', () => {
    const url =
      'https://user:pw@cloud.example.org/client/api?command=listZones&apiKey=AK123&signature=abc%2Bdef&response=json';
    expect(redactUrl(url)).toBe(
      `https://cloud.example.org/client/api?command=listZones&apiKey=${REDACTED}&signature=${REDACTED}&response=json`,
    );
  });

  it('scrubs secret values wherever they appear, raw or percent-encoded', () => {
    const secret = 'a+b/c=d-secret';
    expect(redactValues(`x=${secret}; y=${encodeURIComponent(secret)}`, [secret])).toBe(
      `x=${REDACTED}; y=${REDACTED}`,
    );
    expect(redactUrl(`https://h.example/p?note=${encodeURIComponent(secret)}`, [secret])).toBe(
      `https://h.example/p?note=${REDACTED}`,
    );
  });

  it('leaves very short "secrets" alone rather than blanking ordinary text', () => {
    expect(redactValues('a cat sat', ['a'])).toBe('a cat sat');
  });

  it('blanks credential headers and scrubs values of the others', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer t0ken-value',
          'X-Auth-Token': 'tok',
          'X-Trace': 'echo t0ken-value',
          Accept: ['a', 'b'],
        },
        ['t0ken-value'],
      ),
    ).toEqual({
      Authorization: REDACTED,
      'X-Auth-Token': REDACTED,
      'X-Trace': `echo ${REDACTED}`,
      Accept: 'a, b',
    });
  });

  it('survives text that is not a URL', () => {
    expect(redactUrl('not a url with s3cr3t-value', ['s3cr3t-value'])).toBe(`not a url with ${REDACTED}`);
  });
});
