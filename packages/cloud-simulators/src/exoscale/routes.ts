/**
 * The API v2 paths the simulator serves, each under its operation id from the API v2
 * specification (`operationId`): request logs and fault rules match on those names.
 */

export type ExoscaleOperation =
  | 'list-zones'
  | 'list-templates'
  | 'get-template'
  | 'list-instance-types'
  | 'get-instance-type'
  | 'create-instance'
  | 'list-instances'
  | 'get-instance'
  | 'delete-instance'
  | 'start-instance'
  | 'stop-instance'
  | 'get-operation'
  | 'register-ssh-key'
  | 'list-ssh-keys'
  | 'get-ssh-key'
  | 'delete-ssh-key'
  | 'list-security-groups'
  | 'get-security-group';

interface Route {
  readonly method: string;
  /** Matched against the path below `/v2`; the capture group, when any, is the path parameter. */
  readonly path: RegExp;
  readonly operation: ExoscaleOperation;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', path: /^\/zone$/, operation: 'list-zones' },
  { method: 'GET', path: /^\/template$/, operation: 'list-templates' },
  { method: 'GET', path: /^\/template\/([^/]+)$/, operation: 'get-template' },
  { method: 'GET', path: /^\/instance-type$/, operation: 'list-instance-types' },
  { method: 'GET', path: /^\/instance-type\/([^/]+)$/, operation: 'get-instance-type' },
  { method: 'POST', path: /^\/instance$/, operation: 'create-instance' },
  { method: 'GET', path: /^\/instance$/, operation: 'list-instances' },
  { method: 'GET', path: /^\/instance\/([^/:]+)$/, operation: 'get-instance' },
  { method: 'DELETE', path: /^\/instance\/([^/:]+)$/, operation: 'delete-instance' },
  { method: 'PUT', path: /^\/instance\/([^/:]+):start$/, operation: 'start-instance' },
  { method: 'PUT', path: /^\/instance\/([^/:]+):stop$/, operation: 'stop-instance' },
  { method: 'GET', path: /^\/operation\/([^/]+)$/, operation: 'get-operation' },
  { method: 'POST', path: /^\/ssh-key$/, operation: 'register-ssh-key' },
  { method: 'GET', path: /^\/ssh-key$/, operation: 'list-ssh-keys' },
  { method: 'GET', path: /^\/ssh-key\/([^/]+)$/, operation: 'get-ssh-key' },
  { method: 'DELETE', path: /^\/ssh-key\/([^/]+)$/, operation: 'delete-ssh-key' },
  { method: 'GET', path: /^\/security-group$/, operation: 'list-security-groups' },
  { method: 'GET', path: /^\/security-group\/([^/]+)$/, operation: 'get-security-group' },
];

export type RouteMatch =
  | { readonly kind: 'route'; readonly operation: ExoscaleOperation; readonly param: string | undefined }
  /** The path exists, but not with this method. */
  | { readonly kind: 'method-not-allowed' }
  | { readonly kind: 'not-found' };

/** `path` is below `/v2` and percent-decoded, e.g. `/instance/<id>:start`. */
export function matchRoute(method: string, path: string): RouteMatch {
  let pathExists = false;
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    if (route.method === method.toUpperCase()) {
      return { kind: 'route', operation: route.operation, param: match[1] };
    }
    pathExists = true;
  }
  return pathExists ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}
