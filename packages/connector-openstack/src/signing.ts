/**
 * Keystone's request shapes, pure: where the tokens are asked for, how a domain or project is
 * named, and the password-method body. The token exchange itself, with its cache, is keystone.ts.
 */

/** A domain by name or by id. */
export type DomainRef = { readonly name: string } | { readonly id: string };

/** The project a token is scoped to: by name within a domain, or by id. */
export type ProjectScope = { readonly name: string; readonly domain: DomainRef } | { readonly id: string };

/** `…/v3/auth/tokens` from a v3 root, an unversioned root, a (retired) v2.0 root or itself. */
export function tokensUrl(authUrl: string): string {
  const url = new URL(authUrl);
  url.search = '';
  url.hash = '';
  let path = url.pathname.replace(/\/+$/, '');
  // The tokens URL itself, pasted whole, is read as its root.
  path = path.replace(/\/auth\/tokens$/, '').replace(/\/v2\.0$/, '');
  if (!/\/v3$/.test(path)) path = `${path}/v3`;
  url.pathname = `${path}/auth/tokens`;
  return url.toString();
}

/** Keystone makes ids as 32 lowercase hexadecimal digits (uuid4().hex). */
export function looksLikeKeystoneId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

/** A name, or an id when it is written as Keystone writes ids. */
export function domainRef(value: string): DomainRef {
  return looksLikeKeystoneId(value) ? { id: value } : { name: value };
}

/** The token request body: password method, user by name in a domain, project scope. */
export function passwordAuthBody(options: {
  readonly username: string;
  readonly password: string;
  readonly userDomain: DomainRef;
  readonly project: ProjectScope;
}): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: options.username, domain: options.userDomain, password: options.password },
        },
      },
      scope: { project: options.project },
    },
  };
}
