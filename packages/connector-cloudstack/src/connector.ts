import {
  type Capabilities,
  type ConnectorDefinition,
  type ConnectorInstance,
  KeyedLock,
} from '@slipstream/connector-core';
import { CLOUDSTACK_CREDENTIALS, CLOUDSTACK_PARAMETERS, settingsFrom } from './parameters.js';
import { CloudStackSession } from './session.js';
import { CLOUDSTACK_STATES } from './states.js';

/** CloudStack has zones, stop/start, SSH key pairs, user data and resource tags. */
export const CLOUDSTACK_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: true,
  sshKeys: true,
  userData: true,
  tags: true,
});

/**
 * The connector definition: plain data the server reads to render forms and tables, and `create`,
 * which runs once per configured instance after core has validated its parameters.
 */
export function createCloudStackConnector(): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: 'cloudstack',
    cloud: 'Apache CloudStack',
    // The contract major this code implements, written out: a core with another major refuses it.
    contract: 1,
    parameters: CLOUDSTACK_PARAMETERS,
    credentials: CLOUDSTACK_CREDENTIALS,
    capabilities: CLOUDSTACK_CAPABILITIES,
    states: CLOUDSTACK_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = settingsFrom(parameters);
      const locks = new KeyedLock();
      // No close(): the instance holds nothing but the transport, which core closes.
      return {
        session: (credentials) => new CloudStackSession({ http, settings, credentials, logger, locks }),
      };
    },
  };
  return Object.freeze(definition);
}
