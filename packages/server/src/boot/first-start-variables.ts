/**
 * The first-start variables after the first start. SLIPSTREAM_CONNECTORS, SLIPSTREAM_CONFIG and
 * SLIPSTREAM_ADMIN_PASSWORD seed an empty store; from then on the store is the source and they are
 * not read. An administrator who corrects one and restarts would otherwise see nothing change and
 * not know why: each one set and different from what is stored is reported, with how to change the
 * stored value instead. Values are never quoted when they may be secrets.
 */

import { inspectConnectorList, type Logger } from '@slipstream/connector-core';
import { openParameters } from '../configuration/instance-values.js';
import { verifyPassword } from '../security/passwords.js';
import type { SecretBox } from '../security/secret-box.js';
import type { ServerSettings } from '../settings.js';
import type { StoredConfiguration, UserStore } from '../store/types.js';
import { FIRST_ADMIN } from './seed.js';

export interface FirstStartVariableCheck {
  readonly settings: ServerSettings;
  readonly stored: StoredConfiguration;
  readonly box: SecretBox;
  readonly users: Pick<UserStore, 'getUserByName'>;
  readonly logger: Logger;
}

/** A connector list as the loader reads it: entries, without spacing. */
function normalized(list: string): string {
  return inspectConnectorList(list)
    .entries.map((entry) =>
      entry.instance === entry.connector ? entry.connector : `${entry.instance}:${entry.connector}`,
    )
    .join(',');
}

/** The warnings for first-start variables that differ from the store; logged at warn level too. */
export async function checkFirstStartVariables(check: FirstStartVariableCheck): Promise<string[]> {
  const { settings, stored, box, logger } = check;
  const given = new Set(settings.firstStartVariables ?? []);
  const warnings: string[] = [];
  const storedList = stored.basics.connectors;
  const initialList = settings.initial.basics.connectors ?? storedList;

  if (
    (given.has('SLIPSTREAM_CONNECTORS') || given.has('SLIPSTREAM_CONFIG')) &&
    normalized(initialList) !== normalized(storedList)
  ) {
    const variable = given.has('SLIPSTREAM_CONNECTORS') ? 'SLIPSTREAM_CONNECTORS' : 'SLIPSTREAM_CONFIG';
    warnings.push(
      `${variable} is read only at the first start: the stored connector list "${storedList}" is in use, not "${initialList}". ` +
        `To change the stored list, run \`slipstream config set connectors "${initialList}"\` or use the configuration page, then restart; or unset ${variable}.`,
    );
  }
  if (given.has('SLIPSTREAM_CONFIG')) {
    const differing = differingValues(settings, stored, box);
    if (differing.length > 0) {
      warnings.push(
        `SLIPSTREAM_CONFIG is read only at the first start: ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''} from the stored configuration, which is in use. ` +
          'To change stored values, run `slipstream config set <instance>.<key> <value>` or use the configuration page, then restart; or unset SLIPSTREAM_CONFIG.',
      );
    }
  }
  if (given.has('SLIPSTREAM_ADMIN_PASSWORD') && settings.adminPassword !== undefined) {
    const admin = await check.users.getUserByName(FIRST_ADMIN);
    if (admin !== undefined && !(await verifyPassword(settings.adminPassword, admin.passwordHash))) {
      warnings.push(
        `SLIPSTREAM_ADMIN_PASSWORD is read only when the first administrator is created: it is not "${FIRST_ADMIN}"'s password now. ` +
          `To set it, run \`slipstream admin reset-password\` (with the server's home); or unset SLIPSTREAM_ADMIN_PASSWORD.`,
      );
    }
  }
  for (const warning of warnings) logger.warn({}, warning);
  return warnings;
}

/** The settings and parameters of the configuration file that differ from the stored ones, by name. */
function differingValues(settings: ServerSettings, stored: StoredConfiguration, box: SecretBox): string[] {
  const differing: string[] = [];
  const { connectors: _list, ...basics } = settings.initial.basics;
  for (const [key, value] of Object.entries(basics)) {
    if (stored.basics.settings[key] !== value) differing.push(`basics.${key}`);
  }
  const opened = openParameters(stored.instances, box).parameters;
  for (const [instance, values] of Object.entries(settings.initial.instances)) {
    for (const [key, value] of Object.entries(values)) {
      const current = opened[instance]?.[key];
      // Secrets are compared as text: they are stored sealed as text.
      const same =
        current !== undefined &&
        (JSON.stringify(current) === JSON.stringify(value) ||
          (typeof current === 'string' && current === String(value)));
      if (!same) differing.push(`instances.${instance}.${key}`);
    }
  }
  return differing;
}
