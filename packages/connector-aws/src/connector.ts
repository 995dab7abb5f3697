import {
  type Capabilities,
  type ConnectorDefinition,
  type ConnectorInstance,
  RecentlyDeleted,
} from '@slipstream/connector-core';
import { AwsClient } from './client.js';
import { AWS_CREDENTIALS, AWS_PARAMETERS, settingsFrom } from './parameters.js';
import { AwsSession } from './session.js';
import { credentialIdentity } from './signing.js';
import { AWS_STATES } from './states.js';

/** Everything optional is there: stop/start, zones, SSH keys (imported key pairs), user data, tags. */
export const AWS_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: true,
  sshKeys: true,
  userData: true,
  tags: true,
});

/** Options outside the contract, for tests: hosts load the default export and never see them. */
export interface AwsConnectorOptions {
  /** The largest page asked of EC2 (`MaxResults`, at least 5); by default each call's maximum. */
  readonly pageSize?: number | undefined;
}

/**
 * The connector definition: plain data plus `create`, which runs once per configured instance
 * after core has validated the parameters. An instance works in one region. The AWS SDK is
 * imported by the first session, not here: loading the definition stays as cheap as any other's.
 */
export function createAwsConnector(options: AwsConnectorOptions = {}): ConnectorDefinition {
  const definition: ConnectorDefinition = {
    name: 'aws',
    cloud: 'Amazon EC2',
    // The contract major this code implements, written out rather than read from core.
    contract: 1,
    parameters: AWS_PARAMETERS,
    credentials: AWS_CREDENTIALS,
    capabilities: AWS_CAPABILITIES,
    states: AWS_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = settingsFrom(parameters);
      const deleted = new RecentlyDeleted();
      // No close(): the transport is core's; each session's SDK client holds nothing else.
      return {
        async session(credentials) {
          const identity = credentialIdentity(credentials);
          const client = await AwsClient.open(http, settings, identity);
          return new AwsSession({
            client,
            settings,
            logger,
            // Per access key and region: another user's terminations never make an id theirs.
            deleted: deleted.of(`${identity.accessKeyId}@${settings.region}@${settings.endpoint ?? ''}`),
            pageSize: options.pageSize,
          });
        },
      };
    },
  };
  return Object.freeze(definition);
}
