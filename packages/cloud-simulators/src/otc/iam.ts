import type { SimCloud } from '../model/cloud.js';
import { isObject, jsonResponse, parseJson } from '../openstack/http.js';
import type { IdentityDirectory, Project } from '../openstack/identity/directory.js';
import { keystoneErrorResponse } from '../openstack/identity/errors.js';
import type { SimResponse } from '../server/frontend.js';

/**
 * What OTC's IAM adds to the Keystone v3 token API the OpenStack simulator serves:
 * - GET /v3/projects ("Querying Project Information Based on the Specified Criteria"), which the
 *   Huawei SDKs call with an access key to find the id of the project named after the region;
 * - the catalog of a token as IAM renders it: public endpoints only, with `$(project_id)s` in an
 *   endpoint URL replaced by the token's project id, as Keystone's catalog templates are.
 */

/** The path of the projects collection below the IAM root. */
export function isProjectsPath(path: string): boolean {
  return /^\/v3\/projects\/?$/.test(path);
}

/** The projects of the tenant (domain): each account's, sub-projects under their region's. */
export function domainProjects(cloud: SimCloud, directory: IdentityDirectory): Project[] {
  return cloud.accounts().map((account) => directory.userOf(account).project);
}

function parentOf(project: Project, all: readonly Project[]): string {
  // A sub-project "eu-de_name" sits under the region project "eu-de"; a region under the tenant.
  const region = /^([^_]+)_./.exec(project.name)?.[1];
  return all.find((candidate) => candidate.name === region)?.id ?? project.domain.id;
}

/** GET /v3/projects with the filters IAM documents (domain_id, name, parent_id, enabled, paging). */
export function listProjects(
  query: URLSearchParams,
  projects: readonly Project[],
  iamRoot: string,
  method: string,
): SimResponse {
  if (method !== 'GET') {
    return keystoneErrorResponse(405, 'The method is not allowed for the requested URL.');
  }
  const page = query.get('page');
  const perPage = query.get('per_page');
  if ((page === null) !== (perPage === null)) {
    return keystoneErrorResponse(400, 'page and per_page must be given together.');
  }
  const enabled = query.get('enabled');
  let matching = projects.filter(
    (project) =>
      (query.get('domain_id') === null || query.get('domain_id') === project.domain.id) &&
      (query.get('name') === null || query.get('name') === project.name) &&
      (query.get('parent_id') === null || query.get('parent_id') === parentOf(project, projects)) &&
      // Every simulated project is enabled.
      (enabled === null || enabled.toLowerCase() === 'true'),
  );
  if (page !== null && perPage !== null) {
    const pageNumber = Number(page);
    const size = Number(perPage);
    if (
      !Number.isInteger(pageNumber) ||
      pageNumber < 1 ||
      !Number.isInteger(size) ||
      size < 1 ||
      size > 5000
    ) {
      return keystoneErrorResponse(400, 'page must be an integer of at least 1 and per_page one of 1-5000.');
    }
    matching = matching.slice((pageNumber - 1) * size, pageNumber * size);
  }
  const self = `${iamRoot}/v3/projects${query.size > 0 ? `?${query.toString()}` : ''}`;
  return jsonResponse(200, {
    links: { self, previous: null, next: null },
    projects: matching.map((project) => ({
      is_domain: false,
      description: '',
      links: { self: `${iamRoot}/v3/projects/${project.id}` },
      enabled: true,
      id: project.id,
      parent_id: parentOf(project, projects),
      domain_id: project.domain.id,
      name: project.name,
    })),
  });
}

/**
 * The token answer with IAM's catalog: only public endpoints, project ids filled in. Answers that
 * are not a token (errors) pass unchanged.
 */
export function withIamCatalog(response: SimResponse): SimResponse {
  const parsed = response.status < 300 ? parseJson(response.body) : undefined;
  const token = parsed && isObject(parsed.value) ? parsed.value.token : undefined;
  if (!isObject(token) || !Array.isArray(token.catalog)) return response;
  const projectId = isObject(token.project) && typeof token.project.id === 'string' ? token.project.id : '';
  token.catalog = token.catalog.map((entry: unknown) => {
    if (!isObject(entry) || !Array.isArray(entry.endpoints)) return entry;
    const endpoints = entry.endpoints
      .filter((endpoint: unknown) => isObject(endpoint) && endpoint.interface === 'public')
      .map((endpoint: Record<string, unknown>) => ({
        ...endpoint,
        url: String(endpoint.url)
          .replaceAll('$(project_id)s', projectId)
          .replaceAll('$(tenant_id)s', projectId),
      }));
    return { ...entry, endpoints };
  });
  return { ...response, body: JSON.stringify(parsed?.value) };
}
