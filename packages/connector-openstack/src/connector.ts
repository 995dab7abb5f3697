import {
  type Capabilities,
  type ConnectorDefinition,
  type ConnectorInstance,
  type CredentialSpec,
  type Credentials,
  type FieldValues,
  type HttpTransport,
  KeyedLock,
  type Logger,
  type ParameterSpec,
  RecentlyDeleted,
} from '@slipstream/connector-core';
import type { SessionAccess } from './access.js';
import { KeystonePasswordAuth } from './keystone.js';
import {
  keystoneSettings,
  OPENSTACK_CREDENTIALS,
  OPENSTACK_PARAMETERS,
  type OpenStackSettings,
  openStackSettings,
} from './parameters.js';
import { CatalogEndpoints } from './service-catalog.js';
import { OpenStackSession } from './session.js';
import { domainRef, looksLikeKeystoneId } from './signing.js';
import { OPENSTACK_STATES } from './states.js';

/** Nova has zones, stop/start, key pairs, user data, and metadata that holds tags. */
export const OPENSTACK_CAPABILITIES: Capabilities = Object.freeze({
  stopStart: true,
  zones: true,
  sshKeys: true,
  userData: true,
  tags: true,
});

/** What `access` receives to build one user's authenticator and endpoint resolver. */
export interface AccessContext {
  /** The instance's validated parameters, defaults applied. */
  readonly parameters: FieldValues;
  /** The user's validated credentials. */
  readonly credentials: Credentials;
  readonly settings: OpenStackSettings;
  readonly http: HttpTransport;
  readonly logger: Logger;
}

export interface OpenStackConnectorOptions {
  /** Connector name; default `openstack`. */
  readonly name?: string | undefined;
  /** Display name; default `OpenStack`. */
  readonly cloud?: string | undefined;
  readonly parameters?: readonly ParameterSpec[] | undefined;
  readonly credentials?: readonly CredentialSpec[] | undefined;
  readonly capabilities?: Capabilities | undefined;
  /** The shared code's settings from the instance's parameters; default {@link openStackSettings}. */
  readonly settings?: ((parameters: FieldValues) => OpenStackSettings) | undefined;
  /** One user's authenticator and endpoints; default {@link keystoneAccess}. */
  readonly access?: ((context: AccessContext) => SessionAccess | Promise<SessionAccess>) | undefined;
}

/**
 * The default access: Keystone v3 password authentication with this package's credentials
 * (the domain serves for the user and the project), endpoints from the token's catalog.
 */
export function keystoneAccess(context: AccessContext): SessionAccess {
  const { parameters, credentials, http, logger } = context;
  const keystone = keystoneSettings(parameters);
  const username = credentials.username ?? '';
  const project = credentials.project ?? '';
  const domain = domainRef(credentials.domain ?? 'Default');
  const authenticator = new KeystonePasswordAuth({
    http,
    authUrl: keystone.authUrl,
    username,
    password: credentials.password ?? '',
    userDomain: domain,
    project: looksLikeKeystoneId(project) ? { id: project } : { name: project, domain },
    logger,
  });
  const endpoints = new CatalogEndpoints(authenticator, {
    region: keystone.region,
    compute: { type: keystone.computeType, name: keystone.computeName },
  });
  const domainText = 'id' in domain ? domain.id : domain.name;
  return { authenticator, endpoints, owner: `${username}@${domainText}/${project}@${keystone.authUrl}` };
}

/**
 * A connector definition for OpenStack or a cloud built on it: plain data the server reads to
 * render forms and tables, and `create`, which runs once per configured instance after core has
 * validated its parameters. See README "Extending".
 */
export function createOpenStackConnector(options: OpenStackConnectorOptions = {}): ConnectorDefinition {
  const settingsOf = options.settings ?? openStackSettings;
  const accessOf = options.access ?? keystoneAccess;
  const definition: ConnectorDefinition = {
    name: options.name ?? 'openstack',
    cloud: options.cloud ?? 'OpenStack',
    // The contract major this code implements, written out: a core with another major refuses it.
    contract: 1,
    parameters: options.parameters ?? OPENSTACK_PARAMETERS,
    credentials: options.credentials ?? OPENSTACK_CREDENTIALS,
    capabilities: options.capabilities ?? OPENSTACK_CAPABILITIES,
    states: OPENSTACK_STATES,
    create({ parameters, http, logger }): ConnectorInstance {
      const settings = settingsOf(parameters);
      const deleted = new RecentlyDeleted();
      const locks = new KeyedLock();
      // No close(): the instance holds nothing but the transport, which core closes.
      return {
        async session(credentials) {
          const access = await accessOf({ parameters, credentials, settings, http, logger });
          return new OpenStackSession({ http, logger, settings, access, deleted, locks });
        },
      };
    },
  };
  return Object.freeze(definition);
}
