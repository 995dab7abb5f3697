import { ConnectorError } from '@slipstream/connector-core';
import type { EndpointResolver, ServiceKind } from '@slipstream/connector-openstack/extend';

/**
 * Where ECS, IMS and the VPC service are for one session: a URL known in advance (the region's,
 * or the administrator's override) where there is one, ECS's with the session's project id
 * appended as `/v2.1/{project_id}`; otherwise the IAM token's catalog.
 */

export interface OtcEndpointsOptions {
  /** ECS root without version, e.g. `https://ecs.eu-de.otc.t-systems.com`. */
  readonly ecs?: string | undefined;
  /** IMS root, e.g. `https://ims.eu-de.otc.t-systems.com`. */
  readonly ims?: string | undefined;
  /** The VPC service's root (its Neutron API), e.g. `https://vpc.eu-de.otc.t-systems.com`. */
  readonly vpc?: string | undefined;
  /** The session's project id, for ECS URLs. */
  readonly projectId: (signal?: AbortSignal) => Promise<string>;
  /** Where the services without a known URL are looked up: the token's catalog. */
  readonly catalog?: EndpointResolver | undefined;
}

export class OtcEndpoints implements EndpointResolver {
  readonly #options: OtcEndpointsOptions;

  constructor(options: OtcEndpointsOptions) {
    this.#options = options;
  }

  async endpoint(service: ServiceKind, signal?: AbortSignal): Promise<string> {
    const { ecs, ims, vpc, projectId, catalog } = this.#options;
    const known = { compute: ecs, image: ims, network: vpc }[service];
    if (known !== undefined) {
      const root = known.replace(/\/+$/, '');
      return service === 'compute' ? `${root}/v2.1/${await projectId(signal)}` : root;
    }
    if (catalog === undefined) {
      // Access keys come with every URL known; this guards a resolver built by hand.
      throw new ConnectorError('CONFIG_INVALID', `No ${service} endpoint is configured for this session.`);
    }
    return catalog.endpoint(service, signal);
  }
}
