/**
 * Open Telekom Cloud's public regions and the service endpoints of each, as T-Systems documents
 * them: `<service>.<region>.otc.t-systems.com` in Germany and the Netherlands; the Swiss region
 * lives under `sc.otc.t-systems.com` and its IAM answers at `iam-pub`.
 */

export const OTC_REGIONS = ['eu-de', 'eu-nl', 'eu-ch2'] as const;
export type OtcRegion = (typeof OTC_REGIONS)[number];

export interface RegionEndpoints {
  /** IAM (Keystone v3) root, ending in `/v3`. */
  readonly iam: string;
  /** ECS root; its Nova-compatible API is at `/v2.1/{project_id}`. */
  readonly ecs: string;
  /** IMS root; its Glance-compatible API is at `/v2/images`. */
  readonly ims: string;
  /** VPC service root; its Neutron-compatible API is at `/v2.0`. */
  readonly vpc: string;
}

export function isOtcRegion(value: string): value is OtcRegion {
  return (OTC_REGIONS as readonly string[]).includes(value);
}

/** The public endpoints of a region. */
export function regionEndpoints(region: OtcRegion): RegionEndpoints {
  if (region === 'eu-ch2') {
    return {
      iam: 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3',
      ecs: 'https://ecs.eu-ch2.sc.otc.t-systems.com',
      ims: 'https://ims.eu-ch2.sc.otc.t-systems.com',
      vpc: 'https://vpc.eu-ch2.sc.otc.t-systems.com',
    };
  }
  return {
    iam: `https://iam.${region}.otc.t-systems.com/v3`,
    ecs: `https://ecs.${region}.otc.t-systems.com`,
    ims: `https://ims.${region}.otc.t-systems.com`,
    vpc: `https://vpc.${region}.otc.t-systems.com`,
  };
}
