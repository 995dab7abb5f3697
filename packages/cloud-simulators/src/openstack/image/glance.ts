import type { SimCloud } from '../../model/cloud.js';
import type { SimImage } from '../../model/types.js';
import type { SimResponse } from '../../server/frontend.js';
import type { Caller } from '../caller.js';
import { jsonResponse, type ServiceRequest } from '../http.js';
import { webobError } from '../webob.js';
import { type GlanceRoute, matchGlance } from './routes.js';
import { imageVisibility, renderImage } from './view.js';

/**
 * Glance's image API v2 (read side) on the model's images: the version list, GET /v2/images with
 * Glance's paging (limit_param_default 25, api_limit_max, marker, `next` links relative to the
 * API root) and filters, and GET /v2/images/{id}. Errors are WebOb's pages, as Glance answers.
 */

/** Glance's limit_param_default: the page size when the client sends no limit. */
export const GLANCE_DEFAULT_LIMIT = 25;

/** Zed's Glance: 2.16 current (with the image cache enabled), 2.0–2.15 supported. */
const VERSIONS = [
  '2.16',
  '2.15',
  '2.14',
  '2.13',
  '2.12',
  '2.11',
  '2.10',
  '2.9',
  '2.8',
  '2.7',
  '2.6',
  '2.5',
  '2.4',
  '2.3',
  '2.2',
  '2.1',
  '2.0',
];

export interface GlanceServiceOptions {
  /** api_limit_max: the largest page; default 1000. */
  readonly maxLimit?: number | undefined;
}

class GlanceError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const badRequest = (message: string): GlanceError => new GlanceError(400, message);

export class GlanceService {
  readonly #cloud: SimCloud;
  readonly #maxLimit: number;

  constructor(cloud: SimCloud, options: GlanceServiceOptions = {}) {
    this.#cloud = cloud;
    this.#maxLimit = options.maxLimit ?? 1000;
  }

  route(request: ServiceRequest): GlanceRoute {
    return matchGlance(request.method, request.path);
  }

  public(request: ServiceRequest, route: Exclude<GlanceRoute, { kind: 'api' }>): SimResponse {
    switch (route.kind) {
      case 'versions': {
        const href = `${request.root}/v2/`;
        const versions = VERSIONS.map((id, index) => ({
          id: `v${id}`,
          status: index === 0 ? 'CURRENT' : 'SUPPORTED',
          links: [{ rel: 'self', href }],
        }));
        // The root is a "multiple choices"; /versions answers the same list as a plain 200.
        return jsonResponse(route.explicit ? 200 : 300, { versions });
      }
      case 'method-not-allowed':
        return webobError(
          405,
          `The method ${request.method} is not allowed for this resource.`,
          request.headers,
          {
            allow: route.allow,
          },
        );
      case 'not-found':
        return webobError(404, undefined, request.headers);
    }
  }

  handleApi(
    request: ServiceRequest,
    route: Extract<GlanceRoute, { kind: 'api' }>,
    caller: Caller,
  ): SimResponse {
    try {
      if (route.operation === 'show-image') {
        const image = this.#cloud.images.find((candidate) => candidate.id === route.param);
        if (!image) throw new GlanceError(404, `No image found with ID ${route.param}`);
        return jsonResponse(200, renderImage(image, caller));
      }
      return jsonResponse(200, this.#list(request.query, caller));
    } catch (error) {
      if (error instanceof GlanceError) return webobError(error.status, error.message, request.headers);
      throw error;
    }
  }

  /** Glance's own error page for a status, as injected faults answer. */
  errorResponse(status: number, message: string, headers: ServiceRequest['headers'] = {}): SimResponse {
    return webobError(status, message, headers);
  }

  #list(query: URLSearchParams, caller: Caller): Record<string, unknown> {
    const params = new URLSearchParams(query);
    const limit = this.#limit(params.get('limit'));
    const marker = params.get('marker') ?? undefined;
    const visibility = params.get('visibility');
    if (visibility && !['community', 'public', 'private', 'shared', 'all'].includes(visibility)) {
      throw badRequest(`Invalid visibility value: ${visibility}`);
    }
    if (params.has('changes-since'))
      throw badRequest('The "changes-since" filter is no longer available on v2.');
    const memberStatus = params.get('member_status') ?? 'accepted';
    if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus))
      throw badRequest(`Invalid status: ${memberStatus}`);
    const { key, direction } = sorting(params);
    const ordered = [...this.#cloud.images].sort((a, b) => compare(a, b, key) * direction);
    let start = 0;
    if (marker !== undefined) {
      start = ordered.findIndex((image) => image.id === marker) + 1;
      if (start === 0) throw badRequest(`No image found with ID ${marker}`);
    }
    const filters = filtersOf(params);
    const visible = ordered
      .slice(start)
      .filter((image) =>
        visibility === null || visibility === 'all' ? true : imageVisibility(image) === visibility,
      )
      // No simulated image has tags, so a tag filter matches none.
      .filter(() => !params.has('tag'))
      .map((image) => ({ image, view: renderImage(image, caller) }))
      .filter(({ view }) => filters.every(([name, value]) => String(view[name]) === value));
    const page = visible.slice(0, limit);
    params.delete('marker');
    const rest = params.toString();
    const body: Record<string, unknown> = {
      images: page.map(({ view }) => view),
      first: rest === '' ? '/v2/images' : `/v2/images?${rest}`,
      schema: '/v2/schemas/images',
    };
    const last = page[page.length - 1];
    if (last && page.length === limit) {
      params.set('marker', last.image.id);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  }

  #limit(value: string | null): number {
    if (value === null) return Math.min(GLANCE_DEFAULT_LIMIT, this.#maxLimit);
    if (!/^[+-]?\d+$/.test(value.trim())) throw badRequest('limit param must be an integer');
    const limit = Number(value);
    if (limit < 0) throw badRequest('limit param must be positive');
    return Math.min(this.#maxLimit, limit);
  }
}

const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
  'visibility',
  'protected',
  'os_hidden',
];

function sorting(params: URLSearchParams): { key: string; direction: number } {
  const sort = params.get('sort');
  const [key = 'created_at', dir = 'desc'] = sort
    ? (sort.split(',')[0] ?? '').split(':').map((part) => part.trim())
    : [params.get('sort_key') ?? 'created_at', params.get('sort_dir') ?? 'desc'];
  if (sort && (params.has('sort_key') || params.has('sort_dir'))) {
    throw badRequest('Old and new sorting syntax cannot be combined');
  }
  if (!SORT_KEYS.includes(key)) {
    throw badRequest(`Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
  }
  if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
  return { key, direction: dir === 'asc' ? 1 : -1 };
}

/** Glance breaks ties by id in the same direction. */
function compare(a: SimImage, b: SimImage, key: string): number {
  const value = (image: SimImage): string | number => {
    switch (key) {
      case 'created_at':
      case 'updated_at':
        return image.createdAt;
      case 'name':
        return image.name;
      case 'size':
        return image.sizeGb;
      case 'visibility':
        return imageVisibility(image);
      default:
        return image.id;
    }
  };
  const [x, y] = [value(a), value(b)];
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every other parameter filters on a field or an extra property, by equality. */
function filtersOf(params: URLSearchParams): Array<[string, string]> {
  const paging = new Set([
    'limit',
    'marker',
    'visibility',
    'member_status',
    'sort',
    'sort_key',
    'sort_dir',
    'tag',
  ]);
  return [...params].filter(([name]) => !paging.has(name));
}
