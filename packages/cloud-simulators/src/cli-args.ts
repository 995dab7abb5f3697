/**
 * The `slipstream-sim` command line, parsed without a library: a cloud name, then `--flag value`
 * pairs. Every problem is reported at once, with the usage line.
 */

export interface SimCommand {
  readonly cloud: string;
  readonly port: number;
  readonly host: string;
  readonly key: string | undefined;
  readonly secret: string | undefined;
  readonly bootDelayMs: number | undefined;
  readonly haltDelayMs: number | undefined;
  /** Running VMs to create in the first account at start. */
  readonly seedVms: number;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly command: SimCommand }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly problems: readonly string[] };

export function usage(clouds: readonly string[]): string {
  return [
    `Usage: slipstream-sim <${clouds.join('|')}> [options]`,
    '',
    'Starts a simulated cloud API on this machine and prints its URL and credentials.',
    '',
    'Options:',
    '  --port <n>            TCP port (default 0: any free port)',
    '  --host <address>      interface to listen on (default 127.0.0.1)',
    '  --key <key>           API key of the account (default: random)',
    '  --secret <secret>     secret key of the account (default: random; give --key too)',
    '  --boot-delay-ms <n>   how long a VM starts before it runs (default 1000)',
    '  --halt-delay-ms <n>   how long a VM takes to stop or be expunged (default 500)',
    '  --seed-vms <n>        running VMs to create at start (default 0)',
    '  --help                this text',
  ].join('\n');
}

const INTEGER_FLAGS = {
  '--port': { max: 65_535 },
  '--boot-delay-ms': { max: 3_600_000 },
  '--halt-delay-ms': { max: 3_600_000 },
  '--seed-vms': { max: 1_000_000 },
} as const;
const STRING_FLAGS = ['--host', '--key', '--secret'] as const;

export function parseArgs(argv: readonly string[], clouds: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const problems: string[] = [];
  const [cloud, ...rest] = argv;
  if (cloud === undefined || cloud.startsWith('-')) {
    problems.push(`Name the cloud to simulate first: one of ${clouds.join(', ')}.`);
  } else if (!clouds.includes(cloud)) {
    problems.push(`Unknown cloud "${cloud}": choose one of ${clouds.join(', ')}.`);
  }
  const values = new Map<string, string>();
  const flags = cloud?.startsWith('-') ? argv : rest;
  for (let index = 0; index < flags.length; index += 1) {
    const flag = flags[index] as string;
    const known = flag in INTEGER_FLAGS || (STRING_FLAGS as readonly string[]).includes(flag);
    if (!known) {
      problems.push(`Unknown option "${flag}"; see --help.`);
      continue;
    }
    const value = flags[index + 1];
    if (value === undefined || value.startsWith('--')) {
      problems.push(`Option ${flag} needs a value.`);
      continue;
    }
    values.set(flag, value);
    index += 1;
  }
  const integer = (flag: keyof typeof INTEGER_FLAGS): number | undefined => {
    const text = values.get(flag);
    if (text === undefined) return undefined;
    const value = Number(text);
    const { max } = INTEGER_FLAGS[flag];
    if (!/^\d+$/.test(text) || value > max) {
      problems.push(`Option ${flag} must be a whole number from 0 to ${max}; got "${text}".`);
      return undefined;
    }
    return value;
  };
  const port = integer('--port') ?? 0;
  const bootDelayMs = integer('--boot-delay-ms');
  const haltDelayMs = integer('--halt-delay-ms');
  const seedVms = integer('--seed-vms') ?? 0;
  const key = values.get('--key');
  const secret = values.get('--secret');
  if ((key === undefined) !== (secret === undefined)) {
    problems.push('Give --key and --secret together, or neither for a random pair.');
  }
  if (problems.length > 0) return { kind: 'error', problems };
  return {
    kind: 'run',
    command: {
      cloud: cloud as string,
      port,
      host: values.get('--host') ?? '127.0.0.1',
      key,
      secret,
      bootDelayMs,
      haltDelayMs,
      seedVms,
    },
  };
}
