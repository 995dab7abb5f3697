import {
  type Capabilities,
  type ConnectorDefinition,
  type ConnectorInstance,
  RecentlyDeleted,
  readParameter,
} from '@slipstream/connector-core';
import { VcloudClient } from './client.js';
import { settingsFrom, VCLOUD_CREDENTIALS, VCLOUD_PARAMETERS } from './parameters.js';
import { PAGE_SIZE } from './query.js';
import { VcloudSession } from './session.js';
import { identityOf } from './signing.js';
import { VCLOUD_STATES } from './states.js';

/** Stop/start, SSH keys and user data (through guest customization); no zones, no tags. */
export const VCLOUD_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: false,
  sshKeys: true,
  userData: true,
  tags: false,
});

/** Options outside the contract, for tests: hosts load the default export and never see them. */
export interface VcloudConnectorOptions {
  /** Records asked of the query service per page (the cell caps it); default 1000. */
  readonly pageSize?: number | undefined;
}

/**
 * The connector definition: plain data plus `create`, which runs once per configured instance
 * after core has validated the parameters. An instance works in one VDC of one organization.
 */
export function createVcloudConnector(options: VcloudConnectorOptions = {}): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: 'vcloud',
    cloud: 'VMware vCloud',
    // The contract major this code implements, written out rather than read from core.
    contract: 1,
    parameters: VCLOUD_PARAMETERS,
    credentials: VCLOUD_CREDENTIALS,
    capabilities: VCLOUD_CAPABILITIES,
    states: VCLOUD_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = settingsFrom(parameters);
      const deleted = new RecentlyDeleted();
      return {
        session(credentials) {
          const identity = identityOf(credentials, settings.org);
          return new VcloudSession({
            client: new VcloudClient(http, settings, identity),
            settings,
            logger,
            deleted: deleted.of(`${identity.username}@${settings.org}@${settings.vdc}`),
            pageSize: options.pageSize ?? PAGE_SIZE,
            pageWorkers: readParameter(parameters, 'max.iaas.workers', 'number'),
          });
        },
      };
    },
  };
  return Object.freeze(definition);
}
