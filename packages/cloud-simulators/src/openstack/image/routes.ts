/**
 * The Glance paths the simulator serves, below the image root: the version list and the image
 * API's read side, under the API reference's names in kebab-case.
 */

export type GlanceOperation = 'list-image-versions' | 'list-images' | 'show-image' | 'unknown';

export type GlanceRoute =
  | { readonly kind: 'versions'; readonly explicit: boolean }
  | {
      readonly kind: 'api';
      readonly operation: 'list-images' | 'show-image';
      readonly param: string | undefined;
    }
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-found' };

/** `path` is below the image root, e.g. `/v2/images`. */
export function matchGlance(method: string, path: string): GlanceRoute {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '/versions')
    return { kind: 'versions', explicit: trimmed === '/versions' };
  const get = method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD';
  if (trimmed === '/v2/images') {
    return get
      ? { kind: 'api', operation: 'list-images', param: undefined }
      : { kind: 'method-not-allowed', allow: 'GET, POST' };
  }
  const one = /^\/v2\/images\/([^/]+)$/.exec(trimmed);
  if (one) {
    return get
      ? { kind: 'api', operation: 'show-image', param: one[1] }
      : { kind: 'method-not-allowed', allow: 'DELETE, GET, PATCH' };
  }
  return { kind: 'not-found' };
}

export function glanceOperation(method: string, path: string): GlanceOperation {
  const route = matchGlance(method, path);
  if (route.kind === 'versions') return 'list-image-versions';
  return route.kind === 'api' ? route.operation : 'unknown';
}
