import { packageNamesFor, RESERVED_NAMES } from './catalog.js';
import { ConnectorError, formatProblems, type Problem } from './errors.js';

/**
 * The server's `connectors` parameter: comma-separated `[instance:]connector` entries, e.g.
 * `cloudstack,cloud2:cloudstack,cloud9:openstack`.
 */

export interface ConnectorListItem {
  /** Instance name: given before the colon, or the connector name. */
  readonly instance: string;
  /** Connector name, lowercased. */
  readonly connector: string;
}

export interface ConnectorListEntry extends ConnectorListItem {
  /** 1-based position in the list. */
  readonly position: number;
}

export interface ConnectorListInspection {
  /** Entries without any problem, in input order. */
  readonly entries: readonly ConnectorListEntry[];
  readonly problems: readonly Problem[];
}

/** Instance and connector names: lowercase kebab-case. */
export const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

const NAME_HELP =
  'use lowercase letters, digits and single hyphens between them (kebab-case), e.g. "cloud-2"';

/**
 * Reads a connector list without throwing: the valid entries and every problem. The server uses
 * this to load what it can and show the rest; `parseConnectorList` is the strict form.
 */
export function inspectConnectorList(value: string | undefined | null): ConnectorListInspection {
  if (value === undefined || value === null) return { entries: [], problems: [] };
  if (typeof value !== 'string') {
    return {
      entries: [],
      problems: [
        {
          message: `The connector list must be text such as "cloudstack,cloud2:cloudstack", got ${typeof value}.`,
        },
      ],
    };
  }
  if (value.trim() === '') return { entries: [], problems: [] };
  const problems: Problem[] = [];
  const candidates: ConnectorListEntry[] = [];
  const rawEntries = value.split(',');

  rawEntries.forEach((raw, index) => {
    const position = index + 1;
    const text = raw.trim();
    const problem = (message: string): void => {
      problems.push({ position, text, message: `Entry ${position} ("${text}"): ${message}` });
    };
    if (text === '') {
      problem(
        rawEntries.length > 1
          ? 'is empty; remove the extra comma.'
          : 'is empty; give a connector name such as "cloudstack".',
      );
      return;
    }
    // A semicolon is the commonest wrong separator; the kebab-case message would not say so.
    if (text.includes(';')) {
      const fixed = text
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .join(',');
      problem(`uses ";" between entries; separate entries with commas: "${fixed}".`);
      return;
    }
    const parts = text.split(':').map((part) => part.trim());
    if (parts.length > 2) {
      problem('has more than one colon; write it as "instance:connector", e.g. "cloud2:cloudstack".');
      return;
    }
    const [first = '', second] = parts;
    const instanceGiven = second !== undefined;
    const connector = (instanceGiven ? second : first).toLowerCase();
    const instance = instanceGiven ? first : connector;
    let valid = true;
    if (instanceGiven && instance === '') {
      problem(
        `has no instance name before the colon; write "name:${connector || 'connector'}" or just "${connector || 'connector'}".`,
      );
      valid = false;
    } else if (instanceGiven && !isValidName(instance)) {
      const hint = kebabHint(instance);
      problem(
        `instance name "${instance}" is not valid: ${NAME_HELP}${hint ? ` (did you mean "${hint}"?)` : ''}.`,
      );
      valid = false;
    }
    const packageHint = packageNameHint(instanceGiven ? second : first);
    if (packageHint !== undefined) {
      problem(packageHint);
      valid = false;
    } else if (connector === '') {
      problem(
        `has no connector name after the colon; write "${instance || 'name'}:cloudstack", for example.`,
      );
      valid = false;
    } else if (!isValidName(connector)) {
      problem(`connector name "${instanceGiven ? second : first}" is not valid: ${NAME_HELP}.`);
      valid = false;
    }
    if (valid) candidates.push({ instance, connector, position });
  });

  // Duplicates are refused, never resolved by keeping one: both entries name the same instance and
  // keeping either would silently drop the other's configuration.
  const byInstance = new Map<string, ConnectorListEntry[]>();
  for (const entry of candidates) {
    const same = byInstance.get(entry.instance);
    if (same) same.push(entry);
    else byInstance.set(entry.instance, [entry]);
  }
  const entries: ConnectorListEntry[] = [];
  for (const entry of candidates) {
    const same = byInstance.get(entry.instance) ?? [];
    if (same.length === 1) {
      entries.push(entry);
      continue;
    }
    // Name one other entry and count the rest: a list of thousands of duplicates must still give
    // a message of reasonable size, in linear time.
    const firstOther = (same[0] === entry ? same[1] : same[0])?.position;
    const others = same.length - 1;
    const where = others === 1 ? `entry ${firstOther}` : `entry ${firstOther} and ${others - 1} more`;
    const implicit =
      entry.instance === entry.connector ? ' (an entry without a name is named after its connector)' : '';
    problems.push({
      position: entry.position,
      text: rawEntries[entry.position - 1]?.trim() ?? entry.instance,
      instance: entry.instance,
      message: `Entry ${entry.position}: instance name "${entry.instance}" is also used by ${where}${implicit}; give each instance its own name, e.g. "${entry.instance}-2:${entry.connector}".`,
    });
  }
  problems.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return { entries, problems };
}

/**
 * Parses a connector list into `{ instance, connector }` entries in input order. An empty or blank
 * value is an empty list. Any bad input throws one CONFIG_INVALID ConnectorError whose `problems`
 * lists every problem with its entry's 1-based position.
 */
export function parseConnectorList(value: string | undefined | null): ConnectorListItem[] {
  const { entries, problems } = inspectConnectorList(value);
  if (problems.length > 0) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `The connector list has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`,
      { problems },
    );
  }
  return entries.map(({ instance, connector }) => ({ instance, connector }));
}

/** Formats entries back into the canonical list text, omitting redundant instance names. */
export function formatConnectorList(entries: readonly ConnectorListItem[]): string {
  return entries
    .map((e) => (e.instance === e.connector ? e.connector : `${e.instance}:${e.connector}`))
    .join(',');
}

function kebabHint(name: string): string | undefined {
  const hint = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return hint && hint !== name && isValidName(hint) ? hint : undefined;
}

const PACKAGE_PREFIX = /^(?:@slipstream\/connector-|slipstream-connector-)(.*)$/i;

/**
 * A package name written where a connector name belongs: the list names connectors and the loader
 * adds the package prefix itself, so `slipstream-connector-foo` would be looked up as
 * `slipstream-connector-slipstream-connector-foo`. Says what to write instead.
 */
function packageNameHint(written: string): string | undefined {
  const rest = PACKAGE_PREFIX.exec(written)?.[1];
  if (rest === undefined) return undefined;
  // A version (`slipstream-connector-foo@1.2.0`) is the package manager's business, not the list's.
  const name = rest.split('@')[0]?.toLowerCase() ?? '';
  if (RESERVED_NAMES.has(name)) {
    return `"${written}" is a SlipStream library package, not a connector; the list names connectors such as "cloudstack".`;
  }
  if (!isValidName(name)) return undefined;
  return `is a package name; write "${name}", not "${written}": the list names connectors, and the server finds the package ${packageNamesFor(name).join(' or ')} by itself.`;
}
