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

  it('scrubs form-encoded and JSON-escaped forms, and longer secrets whole before shorter ones', () => {
    const secret = 'my secret!pass"x';
    const form = new URLSearchParams({ q: secret }).toString();
    expect(redactValues(form, [secret])).toBe(`q=${REDACTED}`);
    expect(redactValues(JSON.stringify({ p: secret }), [secret])).toBe(`{"p":"${REDACTED}"}`);
    expect(redactValues('demo-secret-long and demo', ['demo', 'demo-secret-long'])).toBe(
      `${REDACTED} and ${REDACTED}`,
    );
    expect(
      redactUrl(`https://h.example/p?signature=abc&note=${encodeURIComponent('my secret!pass')}`, [
        'my secret!pass',
      ]),
    ).toBe(`https://h.example/p?signature=${REDACTED}&note=${REDACTED}`);
  });

  it('blanks the credential headers of every target cloud by name', () => {
    const names = ['X-Vcloud-Authorization', 'X-Auth-Key', 'X-Auth-Token', 'X-Subject-Token', 'Cookie'];
    expect(Object.values(redactHeaders(Object.fromEntries(names.map((n) => [n, 'v']))))).toEqual(
      names.map(() => REDACTED),
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
