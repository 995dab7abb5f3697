import { randomBytes } from 'node:crypto';
import type { SimAccountSpec } from '../model/types.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { VCLOUD_CATALOG, VCLOUD_DEFAULTS } from './catalog.js';
import { VcloudFrontEnd } from './frontend.js';
import { Hrefs } from './hrefs.js';

/** The shared simulator options, with the names of vCD's organization, default VDC, catalog and network. */
export interface VcloudSimulatorOptions extends SimulatorOptions {
  /** The organization every account's user belongs to; default 'slipstream'. */
  readonly org?: string | undefined;
  /** The organization VDC VMs go to by default (seeded ones too); default 'vdc-1'. */
  readonly vdc?: string | undefined;
  /** The catalog holding the vApp templates; default 'slipstream-catalog'. */
  readonly catalog?: string | undefined;
  /** The org VDC network of the default VDC; default 'routed-1'. */
  readonly network?: string | undefined;
  /** The query service's largest page (restapi.queryservice.maxPageSize); default 128. */
  readonly maxPageSize?: number | undefined;
  /** How long an access token works; default one hour. */
  readonly tokenTtlMs?: number | undefined;
}

/** A running vCloud Director simulator: its endpoint, organization, VDC, catalog, network and templates. */
export interface RunningVcloud extends RunningSimulator {
  /** The vCloud URL clients set as endpoint (no trailing slash), e.g. http://127.0.0.1:1234 */
  readonly endpoint: string;
  /** The organization users log in to: `user@org`. */
  readonly org: string;
  /** The default organization VDC (seeded VMs are there); a second one, vdc-2, has its own network. */
  readonly vdc: string;
  /** The catalog of the vApp templates. */
  readonly catalog: string;
  /** The default VDC's org VDC network, what vApp networks bridge to. */
  readonly network: string;
  /** credentials.key is the username (without @org), credentials.secret the password. */
  readonly templates: readonly { readonly id: string; readonly name: string; readonly href: string }[];
  /** Makes every token issued so far invalid: the next call with one answers 401. */
  expireTokens(): void;
  /** The metadata of a vApp by its id (vapp-…), for tests. */
  vappMetadata(id: string): Readonly<Record<string, string>>;
}

/**
 * Starts a VMware Cloud Director 10.5 simulator (API 37.0–38.0) on loopback: the accounts are users
 * of one organization (key the user name, secret the password), logging in at
 * `/cloudapi/1.0.0/sessions`; the model's images are vApp templates in the organization's catalog;
 * every model VM is a one-VM vApp, going through vCD's statuses over the boot and halt delays.
 */
export async function startVcloud(options: VcloudSimulatorOptions = {}): Promise<RunningVcloud> {
  const maxPageSize = options.maxPageSize ?? VCLOUD_DEFAULTS.maxPageSize;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) {
    throw new RangeError(`maxPageSize is a whole number from 1; got ${maxPageSize}.`);
  }
  const tokenTtlMs = options.tokenTtlMs ?? VCLOUD_DEFAULTS.tokenTtlMs;
  if (!(tokenTtlMs > 0)) throw new RangeError(`tokenTtlMs must be positive; got ${tokenTtlMs}.`);
  const names = {
    org: options.org ?? VCLOUD_DEFAULTS.org,
    vdc: options.vdc ?? VCLOUD_DEFAULTS.vdc,
    catalog: options.catalog ?? VCLOUD_DEFAULTS.catalog,
    network: options.network ?? VCLOUD_DEFAULTS.network,
  };
  for (const [what, name] of Object.entries(names)) {
    if (name.trim() === '') throw new RangeError(`The ${what} needs a name.`);
  }
  if (/[@:]/.test(names.org))
    throw new RangeError(`An organization name has no "@" or ":"; got "${names.org}".`);
  const accounts = options.accounts?.length ? options.accounts : [randomVcloudAccount()];
  for (const account of accounts) {
    if (/[:]/.test(account.key) || account.key === '') {
      throw new RangeError(`A vCD user name is not empty and has no ":"; got "${account.key}".`);
    }
  }
  let frontEnd: VcloudFrontEnd | undefined;
  const simulator = await startSimulator({ ...options, accounts }, VCLOUD_CATALOG, (cloud) => {
    frontEnd = new VcloudFrontEnd(cloud, {
      ...names,
      maxPageSize,
      tokenTtlMs,
      bootDelayMs: options.bootDelayMs,
      haltDelayMs: options.haltDelayMs,
    });
    return frontEnd;
  });
  const front = frontEnd as VcloudFrontEnd;
  const hrefs = new Hrefs(simulator.url);
  return {
    ...simulator,
    endpoint: simulator.url,
    ...names,
    templates: front.inventory.templates.map((template) => ({
      id: `vappTemplate-${template.id}`,
      name: template.name,
      href: hrefs.template(template.id),
    })),
    expireTokens: () => front.sessions.expireAll(),
    vappMetadata(id) {
      const uuid = id
        .replace(/^vapp-/i, '')
        .replace(/^urn:vcloud:vapp:/i, '')
        .toLowerCase();
      const vapp = front.inventory.vapp(uuid);
      if (!vapp) throw new RangeError(`The simulator has no vApp ${id}.`);
      return Object.fromEntries([...vapp.metadata].map(([key, value]) => [key, value.value]));
    },
  };
}

/** A user of the organization: a plain name, a random password. */
export function randomVcloudAccount(): SimAccountSpec {
  return { key: 'slipstream', secret: randomBytes(18).toString('base64url'), name: 'slipstream' };
}

export {
  VCLOUD_API_VERSION,
  VCLOUD_API_VERSIONS,
  VCLOUD_CATALOG,
  VCLOUD_DEFAULTS,
  VCLOUD_IMAGES,
} from './catalog.js';
export { VcloudFrontEnd, type VcloudFrontEndOptions } from './frontend.js';
export { VAPP_STATUS } from './states.js';
