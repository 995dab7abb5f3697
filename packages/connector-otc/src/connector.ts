import type { ConnectorDefinition } from '@slipstream/connector-core';
import { createOpenStackConnector } from '@slipstream/connector-openstack/extend';
import { otcAccess } from './access.js';
import { OTC_CREDENTIALS, OTC_PARAMETERS, openStackSettingsOf, otcSettings } from './parameters.js';

/**
 * The Open Telekom Cloud connector: the OpenStack connector (ECS speaks Nova 2.1, IMS Glance v2)
 * with OTC's parameters and credentials and its own access: IAM tokens or AK/SK signatures.
 */
export function createOtcConnector(): ConnectorDefinition {
  return createOpenStackConnector({
    name: 'otc',
    cloud: 'Open Telekom Cloud',
    parameters: OTC_PARAMETERS,
    credentials: OTC_CREDENTIALS,
    settings: (parameters) => openStackSettingsOf(otcSettings(parameters)),
    access: otcAccess,
  });
}
