import { isObject } from '../http.js';
import type { NameOrId } from './directory.js';
import { missingAttribute, schemaError } from './errors.js';

/**
 * Reading a token request's `auth` object the way Keystone checks it: its JSON schema
 * (keystone/auth/schema.py) first, then the plugins' own checks, with Keystone's wording. Values
 * of the identity part are never echoed back: it holds the password.
 */

export interface AuthIdentity {
  readonly methods: readonly string[];
  readonly payloads: Readonly<Record<string, unknown>>;
}

export type AuthScope =
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'project'; readonly project: NameOrId & { readonly domain?: NameOrId | undefined } }
  /** A domain, system or trust scope: the simulated users have no role that allows them. */
  | { readonly kind: 'other' };

export function readAuth(auth: Record<string, unknown>): AuthIdentity {
  const identity = auth.identity;
  if (identity === undefined) throw schemaError("'identity' is a required property");
  if (!isObject(identity)) {
    throw schemaError("Invalid input for field 'identity': it is not of type 'object'");
  }
  const methods = identity.methods;
  if (methods === undefined)
    throw schemaError("Invalid input for field 'identity': 'methods' is a required property");
  if (!Array.isArray(methods) || methods.some((method) => typeof method !== 'string')) {
    throw schemaError(
      `Invalid input for field 'identity/methods': ${JSON.stringify(methods)} is not an array of strings`,
    );
  }
  for (const method of methods as string[]) {
    if ((method === 'password' || method === 'token') && !isObject(identity[method])) {
      throw missingAttribute(method, 'identity');
    }
  }
  return { methods: methods as string[], payloads: identity };
}

export function readPasswordUser(payload: unknown): NameOrId & { domain?: NameOrId; password?: string } {
  const user = isObject(payload) ? payload.user : undefined;
  if (!isObject(user)) throw missingAttribute('user', 'password');
  const id = optionalString(user.id, 'identity/password/user/id');
  const name = optionalString(user.name, 'identity/password/user/name');
  if (id === undefined && name === undefined) {
    throw schemaError('Invalid input for field identity/password/user: id or name must be present.');
  }
  const domain = readNameOrId(user.domain, 'identity/password/user/domain');
  if (id === undefined && domain === undefined) throw missingAttribute('domain', 'user');
  const password = typeof user.password === 'string' ? user.password : undefined;
  return { id, name, domain, password };
}

export function readTokenId(payload: unknown): string | undefined {
  const id = isObject(payload) ? payload.id : undefined;
  if (typeof id !== 'string')
    throw schemaError("Invalid input for field 'identity/token': 'id' is a required property");
  return id;
}

export function readScope(auth: Record<string, unknown>): AuthScope {
  const scope = auth.scope;
  if (scope === undefined || scope === 'unscoped') return { kind: 'unscoped' };
  if (!isObject(scope))
    throw schemaError(
      `Invalid input for field 'scope': ${JSON.stringify(scope)} is not of type 'object', 'string'`,
    );
  if (isObject(scope.unscoped)) return { kind: 'unscoped' };
  if (scope.project !== undefined) {
    const project = readNameOrId(scope.project, 'scope/project');
    if (!project) throw schemaError("Invalid input for field 'scope/project': it must be an object");
    const domain = readNameOrId(
      isObject(scope.project) ? scope.project.domain : undefined,
      'scope/project/domain',
    );
    if (project.id === undefined && domain === undefined) throw missingAttribute('domain', 'project');
    return { kind: 'project', project: { ...project, domain } };
  }
  return { kind: 'other' };
}

function readNameOrId(value: unknown, field: string): NameOrId | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value))
    throw schemaError(`Invalid input for field '${field}': ${JSON.stringify(value)} is not of type 'object'`);
  const id = optionalString(value.id, `${field}/id`);
  const name = optionalString(value.name, `${field}/name`);
  if (id === undefined && name === undefined) {
    throw schemaError(`Invalid input for field ${field}: id or name must be present.`);
  }
  return { id, name };
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw schemaError(`Invalid input for field '${field}': ${JSON.stringify(value)} is not of type 'string'`);
  }
  return value;
}
