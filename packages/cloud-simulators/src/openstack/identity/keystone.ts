import type { SimCloud } from '../../model/cloud.js';
import type { SimResponse } from '../../server/frontend.js';
import type { Caller } from '../caller.js';
import { isoMicros } from '../dates.js';
import { emptyResponse, header, isObject, jsonResponse, parseJson, type ServiceRequest } from '../http.js';
import {
  type AuthIdentity,
  type AuthScope,
  readAuth,
  readPasswordUser,
  readScope,
  readTokenId,
} from './auth-request.js';
import { type CatalogService, renderCatalog } from './catalog.js';
import { hexId, type IdentityDirectory, type Project, type User } from './directory.js';
import {
  KeystoneError,
  keystoneErrorResponse,
  missingAttribute,
  schemaError,
  unauthorized,
} from './errors.js';
import type { IssuedToken, TokenStore } from './tokens.js';

/**
 * The Keystone v3 token API on the model: password (and token) authentication scoped to a project,
 * token validation and revocation, and version discovery. Paths are below the identity root, whose
 * `/v3` is the API: `''` and `/` list the versions, `/v3` describes v3, `/v3/auth/tokens` is the
 * token resource.
 */

export type KeystoneOperation =
  | 'list-identity-versions'
  | 'show-identity-version'
  | 'create-token'
  | 'validate-token'
  | 'check-token'
  | 'revoke-token'
  | 'unknown';

export function keystoneOperation(method: string, path: string): KeystoneOperation {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return 'list-identity-versions';
  if (trimmed === '/v3') return 'show-identity-version';
  if (trimmed === '/v3/auth/tokens') {
    const operations: Record<string, KeystoneOperation> = {
      POST: 'create-token',
      GET: 'validate-token',
      HEAD: 'check-token',
      DELETE: 'revoke-token',
    };
    return operations[method.toUpperCase()] ?? 'unknown';
  }
  return 'unknown';
}

/** Roles every user has on its project: `member` and the `reader` role it implies. */
const ROLES = ['member', 'reader'] as const;

export interface KeystoneOptions {
  readonly cloud: SimCloud;
  readonly directory: IdentityDirectory;
  readonly tokens: TokenStore;
  readonly region: string;
  /** The services the catalog lists, given the origin the client addressed. */
  readonly services: (origin: string) => readonly CatalogService[];
}

export class KeystoneService {
  readonly #options: KeystoneOptions;

  constructor(options: KeystoneOptions) {
    this.#options = options;
  }

  /** The caller a token stands for, for the services behind keystonemiddleware. */
  callerOf(token: string): Caller | undefined {
    const issued = this.#live(token);
    return issued?.project ? callerFrom(issued.user, issued.project) : undefined;
  }

  /** `origin` is `http://host:port` as the client addressed the simulator. */
  handle(request: ServiceRequest, origin: string): SimResponse {
    const v3 = `${request.root}/v3`;
    try {
      return this.#handle(request, origin, v3);
    } catch (error) {
      if (!(error instanceof KeystoneError)) throw error;
      // Keystone points a refused client at itself.
      const headers: Record<string, string> =
        error.status === 401 ? { 'www-authenticate': `Keystone uri="${v3}"` } : {};
      return keystoneErrorResponse(error.status, error.message, headers);
    }
  }

  #handle(request: ServiceRequest, origin: string, v3: string): SimResponse {
    const operation = keystoneOperation(request.method, request.path);
    switch (operation) {
      case 'list-identity-versions':
        if (request.method !== 'GET') throw methodNotAllowed();
        return jsonResponse(300, { versions: { values: [versionV3(v3)] } }, { location: `${v3}/` });
      case 'show-identity-version':
        if (request.method !== 'GET') throw methodNotAllowed();
        return jsonResponse(200, { version: versionV3(v3) });
      case 'create-token':
        return this.#createToken(request, origin);
      case 'validate-token':
      case 'check-token': {
        const subject = this.#subject(request);
        const body = this.#render(subject, origin, !request.query.has('nocatalog'));
        return operation === 'check-token'
          ? emptyResponse(200, { 'x-subject-token': subject.id })
          : jsonResponse(200, body, { 'x-subject-token': subject.id });
      }
      case 'revoke-token':
        this.#options.tokens.revoke(this.#subject(request).id);
        return emptyResponse(204);
      case 'unknown':
        if (keystoneOperation('GET', request.path) === 'create-token') throw methodNotAllowed();
        throw new KeystoneError(404, 'The resource could not be found.');
    }
  }

  #createToken(request: ServiceRequest, origin: string): SimResponse {
    const parsed = parseJson(request.body);
    if (!parsed || !isObject(parsed.value)) throw missingAttribute('valid JSON', 'request body');
    const auth = parsed.value.auth;
    if (auth === undefined || auth === null) throw missingAttribute('identity', 'auth');
    // The auth object holds the password: its values are never echoed back.
    if (!isObject(auth)) throw schemaError("Invalid input for field 'auth': it is not of type 'object'");
    const { user, methods } = this.#identify(readAuth(auth));
    const project = this.#scope(readScope(auth), user);
    const token = this.#options.tokens.issue(user, project, methods);
    const body = this.#render(token, origin, !request.query.has('nocatalog'));
    return jsonResponse(201, body, { 'x-subject-token': token.id });
  }

  #identify(identity: AuthIdentity): { user: User; methods: readonly string[] } {
    const { methods } = identity;
    if (methods.some((method) => method !== 'password' && method !== 'token')) {
      throw unauthorized('Attempted to authenticate with an unsupported method.');
    }
    if (methods.length === 0) throw unauthorized();
    if (methods.includes('token')) {
      const previous = this.#live(readTokenId(identity.payloads.token));
      if (!previous) throw unauthorized();
      return { user: previous.user, methods: previous.methods };
    }
    const credentials = readPasswordUser(identity.payloads.password);
    const user = this.#options.directory.findUser(credentials, credentials.domain);
    // Unknown users, domains and wrong passwords all get the same answer.
    if (!user || credentials.password !== user.account.secret) throw unauthorized();
    if (user.account.status === 'revoked') {
      throw unauthorized(`The account is disabled for user: ${user.id}.`);
    }
    if (user.account.status === 'expired') {
      throw unauthorized(`The password is expired and needs to be changed for user: ${user.id}.`);
    }
    return { user, methods: ['password'] };
  }

  /** The project a token is scoped to; undefined for an unscoped token. */
  #scope(scope: AuthScope, user: User): Project | undefined {
    if (scope.kind === 'unscoped') return undefined;
    if (scope.kind === 'other') throw unauthorized();
    const project = this.#options.directory.findProject(scope.project, scope.project.domain);
    // A project that does not exist and one the user has no role on are refused alike.
    if (!project || project.id !== user.project.id) throw unauthorized();
    return project;
  }

  /** The token named by X-Subject-Token, once the caller's own X-Auth-Token is checked. */
  #subject(request: ServiceRequest): IssuedToken {
    const caller = this.#live(header(request.headers, 'x-auth-token'));
    if (!caller) throw unauthorized();
    const subjectId = header(request.headers, 'x-subject-token');
    if (!subjectId) throw new KeystoneError(404, 'No token in the request');
    // Keystone words an unknown token "Could not find token: <token>"; the simulator does not
    // echo tokens back, so every invalid one gets the message of an expired one.
    const subject = this.#live(subjectId);
    if (!subject) throw new KeystoneError(404, 'Failed to validate token');
    if (subject.user.id !== caller.user.id) {
      throw new KeystoneError(
        403,
        'You are not authorized to perform the requested action: identity:validate_token.',
      );
    }
    return subject;
  }

  /** A token that is valid and whose user may still sign in: Keystone revokes the others. */
  #live(id: string | undefined): IssuedToken | undefined {
    const token = this.#options.tokens.valid(id);
    return token?.user.account.status === 'active' ? token : undefined;
  }

  #render(token: IssuedToken, origin: string, withCatalog: boolean): Record<string, unknown> {
    const { user, project } = token;
    const body: Record<string, unknown> = {
      methods: token.methods,
      user: {
        domain: { id: user.domain.id, name: user.domain.name },
        id: user.id,
        name: user.name,
        password_expires_at: null,
      },
      audit_ids: [token.auditId],
      expires_at: isoMicros(token.expiresAt),
      issued_at: isoMicros(token.issuedAt),
    };
    if (project) {
      body.project = {
        domain: { id: project.domain.id, name: project.domain.name },
        id: project.id,
        name: project.name,
      };
      body.is_domain = false;
      body.roles = ROLES.map((name) => ({ id: hexId(`role:${name}`), name }));
      if (withCatalog) {
        body.catalog = renderCatalog(this.#options.services(origin), this.#options.region, {
          projectId: project.id,
          userId: user.id,
        });
      }
    }
    return { token: body };
  }
}

export function callerFrom(user: User, project: Project): Caller {
  return {
    account: user.account.id,
    projectId: project.id,
    projectName: project.name,
    userId: user.id,
    userName: user.name,
    roles: [...ROLES],
  };
}

function versionV3(v3: string): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${v3}/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

function methodNotAllowed(): KeystoneError {
  return new KeystoneError(405, 'The method is not allowed for the requested URL.');
}
