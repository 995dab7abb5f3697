import { describe, expect, it } from 'vitest';
import { domainRef, passwordAuthBody, tokensUrl } from './signing.js';

describe('tokensUrl and the request body', () => {
  it('finds /v3/auth/tokens from a v3, unversioned or v2.0 root', () => {
    expect(tokensUrl('https://k.example.com:5000/v3')).toBe('https://k.example.com:5000/v3/auth/tokens');
    expect(tokensUrl('https://k.example.com:5000/v3/')).toBe('https://k.example.com:5000/v3/auth/tokens');
    expect(tokensUrl('https://k.example.com/identity')).toBe('https://k.example.com/identity/v3/auth/tokens');
    expect(tokensUrl('https://k.example.com:5000/v2.0')).toBe('https://k.example.com:5000/v3/auth/tokens');
    expect(tokensUrl('https://k.example.com/v3/auth/tokens?x=1')).toBe(
      'https://k.example.com/v3/auth/tokens',
    );
  });

  it('asks for a project-scoped token with the password method', () => {
    expect(
      passwordAuthBody({
        username: 'alice',
        password: 'pw',
        userDomain: { name: 'Default' },
        project: { id: 'p1' },
      }),
    ).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'alice', domain: { name: 'Default' }, password: 'pw' } },
        },
        scope: { project: { id: 'p1' } },
      },
    });
    expect(domainRef('Default')).toEqual({ name: 'Default' });
    expect(domainRef('0123456789abcdef0123456789abcdef')).toEqual({ id: '0123456789abcdef0123456789abcdef' });
  });
});
