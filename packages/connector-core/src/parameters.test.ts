import { describe, expect, it } from 'vitest';
import { COMMON_PARAMETERS, type FieldSpec, validateFields } from './parameters.js';

const specs: FieldSpec[] = [
  { key: 'endpoint', label: 'Endpoint', description: 'The API URL.', type: 'url', required: true },
  {
    key: 'zone',
    label: 'Zone',
    description: 'Default zone.',
    type: 'enum',
    values: ['ch-gva-2', 'de-fra-1'],
  },
  {
    key: 'disk.size',
    label: 'Disk',
    description: 'Root disk in GB.',
    type: 'integer',
    default: 10,
    min: 10,
    max: 2000,
  },
  {
    key: 'floating.ips',
    label: 'Floating IPs',
    description: 'Attach floating IPs.',
    type: 'boolean',
    default: false,
  },
  { key: 'api.secret', label: 'Secret', description: 'Shared secret.', type: 'secret' },
  { key: 'note', label: 'Note', description: 'Free text.', type: 'string' },
];

describe('validateFields', () => {
  it('applies defaults and coerces configuration strings to typed values', () => {
    const { values, problems } = validateFields(specs, {
      endpoint: 'https://cloud.example.org/client/api',
      'disk.size': ' 50 ',
      'floating.ips': 'TRUE',
      zone: 'de-fra-1',
    });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      endpoint: 'https://cloud.example.org/client/api',
      'disk.size': 50,
      'floating.ips': true,
      zone: 'de-fra-1',
    });
  });

  it('treats empty strings and null as not given', () => {
    const { values, problems } = validateFields(specs, {
      endpoint: 'http://a.example',
      'disk.size': '',
      note: null,
    });
    expect(problems).toEqual([]);
    expect(values['disk.size']).toBe(10);
    expect(values).not.toHaveProperty('note');
  });

  it('reports every problem at once, each naming its key and how to fix it', () => {
    const { problems } = validateFields(
      specs,
      { zone: 'ch-gva2', 'disk.size': '5', 'floating.ips': 'yes please', note: 7, zonee: 'x' },
      { instance: 'exo' },
    );
    expect(problems.map((p) => p.key).sort()).toEqual([
      'disk.size',
      'endpoint',
      'floating.ips',
      'note',
      'zone',
      'zonee',
    ]);
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p.message]));
    expect(byKey.endpoint).toMatch(/required/);
    expect(byKey.zone).toMatch(/must be one of ch-gva-2, de-fra-1.*did you mean "ch-gva-2"/);
    expect(byKey['disk.size']).toMatch(/at least 10/);
    expect(byKey['floating.ips']).toMatch(/true or false/);
    expect(byKey.note).toMatch(/must be text/);
    expect(byKey.zonee).toMatch(/Unknown parameter "zonee": did you mean "zone"\?/);
    expect(problems.every((p) => p.instance === 'exo')).toBe(true);
  });

  it.each([
    ['not a url', /absolute http\(s\) URL/],
    ['ftp://files.example.org', /http or https/],
    ['https://user:pw@cloud.example.org', /must not embed a user name or password/],
  ])('rejects the URL %j', (endpoint, message) => {
    const { problems } = validateFields(specs, { endpoint });
    expect(problems[0]?.message).toMatch(message);
  });

  it('rejects fractional, non-numeric and too large integers', () => {
    for (const value of [1.5, '1e3', 'ten', 5000, Number.NaN]) {
      expect(
        validateFields(specs, { endpoint: 'http://a.example', 'disk.size': value }).problems,
      ).toHaveLength(1);
    }
  });

  it('never echoes the value of a secret field', () => {
    const secretSpecs: FieldSpec[] = [
      { key: 'password', label: 'Password', description: '', type: 'secret' },
      { key: 'token', label: 'Token', description: '', type: 'integer', secret: true },
    ];
    const { problems } = validateFields(secretSpecs, { password: 12345678, token: 'hunter2-token' });
    expect(problems).toHaveLength(2);
    for (const problem of problems) {
      expect(problem.message).not.toContain('12345678');
      expect(problem.message).not.toContain('hunter2-token');
    }
  });

  it('never echoes user info of a URL, and quotes odd values without throwing', () => {
    const { problems } = validateFields(specs, {
      endpoint: 'ftp://admin:hunter2@host.example',
      note: 10n,
      'disk.size': { n: 1 },
    });
    expect(problems.map((p) => p.message).join('\n')).not.toContain('hunter2');
    expect(problems).toHaveLength(3);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(
      validateFields(specs, { endpoint: 'http://a.example', zone: circular }).problems[0]?.message,
    ).toMatch(/a value of type object/);
  });

  it('reports input that is not an object instead of throwing', () => {
    for (const input of [42, 'x', ['a']]) {
      expect(validateFields(specs, input as never).problems[0]?.message).toMatch(/must be an object/);
    }
  });

  it('uses the subject word in messages', () => {
    const { problems } = validateFields(
      [{ key: 'key', label: 'API key', description: 'Your key.', type: 'string', required: true }],
      {},
      { subject: 'credential' },
    );
    expect(problems[0]?.message).toBe('Credential "key" (API key) is required: Your key.');
  });
});

describe('COMMON_PARAMETERS', () => {
  it('gives every instance quota.vm = 20 and max.iaas.workers = 5 by default', () => {
    expect(validateFields(COMMON_PARAMETERS, {}).values).toEqual({ 'quota.vm': 20, 'max.iaas.workers': 5 });
  });

  it('refuses zero workers', () => {
    expect(validateFields(COMMON_PARAMETERS, { 'max.iaas.workers': '0' }).problems[0]?.message).toMatch(
      /at least 1/,
    );
  });
});
