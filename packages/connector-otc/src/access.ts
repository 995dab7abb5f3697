import { ConnectorError } from '@slipstream/connector-core';
import {
  type AccessContext,
  CatalogEndpoints,
  domainRef,
  KeystonePasswordAuth,
  type SessionAccess,
} from '@slipstream/connector-openstack/extend';
import { AccessKeySigner, isProjectId, ProjectLookup } from './aksk.js';
import { type AccessKeyCredentials, type PasswordCredentials, readCredentials } from './credentials.js';
import { OtcEndpoints } from './endpoints.js';
import { type OtcSettings, otcSettings } from './parameters.js';

/**
 * One user's access to OTC, as the OpenStack connector's seam wants it: an authenticator and an
 * endpoint resolver. With an IAM user, IAM's Keystone password authentication, the user's domain
 * being the tenant and the project the region (or a sub-project); services from the token's
 * catalog unless the administrator fixed their URLs. With an access key, signed requests and the
 * region's fixed URLs, ECS's with the project id IAM gives for the project's name.
 */
export function otcAccess(context: AccessContext): SessionAccess {
  const settings = otcSettings(context.parameters);
  const credentials = readCredentials(context.credentials);
  return credentials.kind === 'access-key'
    ? accessKeyAccess(context, settings, credentials)
    : passwordAccess(context, settings, credentials);
}

function passwordAccess(
  { http, logger }: AccessContext,
  settings: OtcSettings,
  credentials: PasswordCredentials,
): SessionAccess {
  const project = credentials.project ?? settings.region;
  const domain = domainRef(credentials.domain);
  const authenticator = new KeystonePasswordAuth({
    http,
    authUrl: settings.endpoints.iam,
    username: credentials.username,
    password: credentials.password,
    userDomain: domain,
    project: isProjectId(project) ? { id: project } : { name: project, domain },
    logger,
  });
  // IAM's catalog lists each service once, in the region its project belongs to.
  const catalog = new CatalogEndpoints(authenticator, {
    region: settings.region,
    compute: { type: 'compute' },
  });
  const endpoints = new OtcEndpoints({
    ...settings.overrides,
    catalog,
    projectId: async (signal) => {
      const scoped = (await authenticator.token(signal)).project;
      // KeystonePasswordAuth refuses unscoped tokens; this guards the type.
      if (!scoped) throw new ConnectorError('AUTH_FAILED', 'IAM issued a token without a project.');
      return scoped.id;
    },
  });
  return {
    authenticator,
    endpoints,
    owner: `${credentials.username}@${credentials.domain}/${project}@${settings.endpoints.iam}`,
  };
}

function accessKeyAccess(
  { http }: AccessContext,
  settings: OtcSettings,
  credentials: AccessKeyCredentials,
): SessionAccess {
  const keys = { accessKey: credentials.accessKey, secretKey: credentials.secretKey };
  const project = credentials.project ?? settings.region;
  const lookup = new ProjectLookup({ http, keys, iamUrl: settings.endpoints.iam, project });
  const { ecs, ims, vpc } = settings.endpoints;
  return {
    authenticator: new AccessKeySigner(keys, lookup),
    endpoints: new OtcEndpoints({ ecs, ims, vpc, projectId: (signal) => lookup.id(signal) }),
    owner: `${credentials.accessKey}/${project}@${settings.endpoints.iam}`,
  };
}
