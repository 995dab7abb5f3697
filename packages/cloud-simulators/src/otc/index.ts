import { randomBytes } from 'node:crypto';
import type { OpenStackUser } from '../openstack/index.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import type { AccessKey } from './access-keys.js';
import { otcCatalog } from './catalog.js';
import { OtcFrontEnd } from './frontend.js';

/**
 * The Open Telekom Cloud simulator: IAM at `${url}/v3`, ECS (Nova-compatible) at
 * `${url}/v2.1/{project_id}`, IMS at `${url}/v2/images`, on the shared cloud model. Each account
 * is one IAM user of the tenant (its key the user name, its secret the password) with a role on
 * one project named after the account — the region, e.g. `eu-de`, for an account without a name —
 * and one permanent access key (AK/SK) for signed requests.
 */

export interface OtcSimulatorOptions extends SimulatorOptions {
  /** Region and default project name; default `eu-de`. Its availability zones make the catalog. */
  readonly region?: string | undefined;
  /** The tenant's domain name; default `OTC00000000001000000001`. */
  readonly domain?: string | undefined;
  /** Servers/images per page when the client sends no `limit` (Nova's osapi_max_limit, default 1000). */
  readonly maxLimit?: number | undefined;
  /** IAM token lifetime; default 86 400 s, the 24 hours OTC's tokens are valid. */
  readonly tokenTtlSeconds?: number | undefined;
}

export interface RunningOtc extends RunningSimulator {
  /** IAM's Keystone v3 root, `${url}/v3`. */
  readonly authUrl: string;
  /** The first user's ECS root, `${url}/v2.1/<project id>`. */
  readonly computeUrl: string;
  /** The IMS root (the Glance API is below it at `/v2/images`): the simulator's URL. */
  readonly imageUrl: string;
  /** The first account as an IAM user; `domain` is the tenant's domain name. */
  readonly user: OpenStackUser;
  readonly region: string;
  /** The first user's access key ID and secret access key. */
  readonly accessKey: string;
  readonly secretKey: string;
  /** Every user's access key, in the order of the accounts. */
  readonly accessKeys: readonly AccessKey[];
  readonly frontEnd: OtcFrontEnd;
  /** Expire every token IAM issued (tests of re-authentication). */
  expireTokens(): void;
}

export const OTC_DEFAULT_DOMAIN = 'OTC00000000001000000001';

/** IAM tokens are valid for 24 hours. */
export const OTC_TOKEN_TTL_SECONDS = 86_400;

export async function startOtc(options: OtcSimulatorOptions = {}): Promise<RunningOtc> {
  const {
    region = 'eu-de',
    domain = OTC_DEFAULT_DOMAIN,
    maxLimit,
    tokenTtlSeconds = OTC_TOKEN_TTL_SECONDS,
    ...common
  } = options;
  // Users work in the region's project unless their account names another (a sub-project).
  const accounts = (
    common.accounts?.length
      ? common.accounts
      : [{ key: `otc-user-${randomBytes(4).toString('hex')}`, secret: randomBytes(18).toString('base64url') }]
  ).map((account) => ({ ...account, name: account.name ?? region }));
  let created: OtcFrontEnd | undefined;
  const simulator = await startSimulator({ ...common, accounts }, otcCatalog(region), (cloud) => {
    created = new OtcFrontEnd(cloud, { region, domain, maxLimit, tokenTtlSeconds });
    return created;
  });
  const frontEnd = created as OtcFrontEnd;
  frontEnd.setOrigin(simulator.url);
  const { cloud } = simulator.control;
  const accessKeys = accounts.map((account) => frontEnd.accessKeys.issue(account.key));
  const account = cloud.accountByKey(simulator.credentials.key);
  const first = accessKeys[0];
  if (!account || !first) throw new Error('The simulator has no account for its own credentials.');
  const user = frontEnd.openstack.directory.userOf(account);
  return {
    ...simulator,
    authUrl: `${simulator.url}/v3`,
    computeUrl: `${simulator.url}/v2.1/${user.project.id}`,
    imageUrl: simulator.url,
    user: {
      username: user.name,
      password: account.secret,
      project: user.project.name,
      projectId: user.project.id,
      domain: user.domain.name,
    },
    region,
    accessKey: first.accessKey,
    secretKey: first.secretKey,
    accessKeys,
    frontEnd,
    expireTokens: () => frontEnd.openstack.expireTokens(),
  };
}

export { type AccessKey, AccessKeys } from './access-keys.js';
export { OTC_FLAVORS, OTC_IMAGES, OTC_REGIONS, otcCatalog, otcZones } from './catalog.js';
export { OtcFrontEnd, type OtcFrontEndOptions } from './frontend.js';
export { APIGW_AUTH_FAILED, APIGW_FORBIDDEN, ApiGateway, gatewayError, isSigned } from './gateway.js';
export {
  expectedSignature,
  formatSdkDate,
  parseSdkAuthorization,
  parseSdkDate,
  SDK_DATE_WINDOW_MS,
  SDK_HMAC_SHA256,
  type SdkAuthorization,
  type SdkVerdict,
  verifySdkRequest,
} from './signature.js';
