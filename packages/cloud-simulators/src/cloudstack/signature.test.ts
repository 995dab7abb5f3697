import { describe, expect, it } from 'vitest';
import { computeSignature, javaUrlEncode, signaturesMatch, stringToSign } from './signature.js';

// The worked example of the CloudStack developer's guide ("How to sign an API call with Python").
const GUIDE_API_KEY =
  'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg';
const GUIDE_SECRET = 'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ';

describe('javaUrlEncode', () => {
  it('leaves only the characters java.net.URLEncoder leaves, and writes spaces as %20', () => {
    expect(javaUrlEncode('aZ09.-*_')).toBe('aZ09.-*_');
    expect(javaUrlEncode("a b!'()~")).toBe('a%20b%21%27%28%29%7E');
    expect(javaUrlEncode('x=1&y/z+')).toBe('x%3D1%26y%2Fz%2B');
    expect(javaUrlEncode('é')).toBe('%C3%A9');
  });
});

describe('stringToSign', () => {
  it('sorts by name, encodes values, drops the signature and lowercases everything', () => {
    const text = stringToSign([
      ['response', 'json'],
      ['command', 'listUsers'],
      ['signature', 'ignored'],
      ['apikey', 'AbC'],
      ['name', 'My VM'],
    ]);
    expect(text).toBe('apikey=abc&command=listusers&name=my%20vm&response=json');
  });

  it('sorts names as Java does: by code unit, before lowercasing', () => {
    // "templateId" < "templatefilter" because 'I' (0x49) < 'f' (0x66), though lowercase says otherwise.
    const text = stringToSign([
      ['templatefilter', 'a'],
      ['templateId', 'b'],
    ]);
    expect(text).toBe('templateid=b&templatefilter=a');
  });
});

describe('computeSignature', () => {
  it("yields the developer's guide's published signature for its listUsers example", () => {
    const signature = computeSignature(GUIDE_SECRET, [
      ['command', 'listUsers'],
      ['response', 'json'],
      ['apikey', GUIDE_API_KEY],
    ]);
    expect(signature).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
  });

  it('changes with the secret and with any value', () => {
    const params: [string, string][] = [
      ['command', 'listZones'],
      ['apikey', 'k'],
    ];
    const base = computeSignature('s1', params);
    expect(computeSignature('s2', params)).not.toBe(base);
    expect(computeSignature('s1', [...params, ['name', 'x']])).not.toBe(base);
  });
});

describe('signaturesMatch', () => {
  it('compares exactly, whatever the lengths', () => {
    expect(signaturesMatch('abc=', 'abc=')).toBe(true);
    expect(signaturesMatch('abc=', 'abd=')).toBe(false);
    expect(signaturesMatch('abc=', 'abc')).toBe(false);
  });
});
