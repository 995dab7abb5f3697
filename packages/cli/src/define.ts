import { parseArgs } from 'node:util';
import { type Command, type CommandIo, EXIT } from './command.js';
import { CliError } from './errors.js';
import { writeJson } from './output.js';

/**
 * The shared shape of a command: strict flag parsing, `--help`, and one place that turns a thrown
 * CliError into a message (text on stderr, or `{ error }` on stdout with `--json`) and an exit status.
 */

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export interface Parsed {
  readonly positionals: readonly string[];
  readonly strings: Readonly<Record<string, string | undefined>>;
  readonly booleans: Readonly<Record<string, boolean>>;
  readonly json: boolean;
}

export interface CommandSpec {
  readonly path: readonly string[];
  readonly summary: string;
  readonly help: string;
  /** Flags besides `--help` (and `--json` when `json` is true). */
  readonly flags?: Readonly<Record<string, FlagSpec>>;
  readonly json?: boolean;
  /** Positional arguments: at least `min`, at most `max` (Infinity for lists). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly name: string };
  run(parsed: Parsed, io: CommandIo): Promise<number>;
}

export function defineCommand(spec: CommandSpec): Command {
  const name = `slipstream ${spec.path.join(' ')}`;
  return {
    path: spec.path,
    summary: spec.summary,
    help: spec.help,
    async run(args, io) {
      // Known before parsing, so that even a bad flag is reported as JSON to a script asking for it.
      const wantsJson = spec.json === true && args.includes('--json');
      try {
        const parsed = parse(spec, name, args);
        if (parsed === 'help') {
          io.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
          return EXIT.OK;
        }
        return await spec.run(parsed, io);
      } catch (error) {
        return report(error, io, wantsJson, name);
      }
    },
  };
}

function parse(spec: CommandSpec, name: string, args: readonly string[]): Parsed | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    ...(spec.json ? { json: { type: 'boolean' } } : {}),
    ...spec.flags,
  };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }));
  } catch (error) {
    throw CliError.usage(`${flagError(error, args)} Run "${name} --help" for its usage.`);
  }
  if (values.help === true) return 'help';
  const { min, max, name: what } = spec.positionals ?? { min: 0, max: 0, name: '' };
  if (positionals.length < min) throw CliError.usage(`missing ${what}. Run "${name} --help" for its usage.`);
  if (positionals.length > max) {
    const extra = positionals[max];
    throw CliError.usage(
      max === 0
        ? `no arguments are taken, got "${extra}". Run "${name} --help" for its usage.`
        : `at most ${max} argument${max === 1 ? '' : 's'} (${what}) are taken; "${extra}" is one too many. Quote a value with spaces.`,
    );
  }
  const strings: Record<string, string | undefined> = {};
  const booleans: Record<string, boolean> = {};
  for (const [key, option] of Object.entries(options)) {
    const value = values[key];
    if (option.type === 'string') {
      if (value === '') throw CliError.usage(`--${key} needs a value; it was given an empty one.`);
      strings[key] = typeof value === 'string' ? value : undefined;
    } else {
      booleans[key] = value === true;
    }
  }
  return { positionals, strings, booleans, json: booleans.json === true };
}

/** parseArgs' messages mention internals ("place it after '--'"); say it our way, naming the flag. */
function flagError(error: unknown, args: readonly string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^']*)'/.exec(message)?.[1] ?? args.find((arg) => arg.startsWith('-')) ?? '';
  // parseArgs quotes `--home <value>` or `--flag=value`; the flag alone is what the user typed.
  const bare = flag.split(/[= ]/)[0] ?? flag;
  // Lowercase after the "slipstream <command>: " prefix, like the dispatcher's "unknown command".
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag "${bare}".`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('argument missing')
      ? `flag "${bare}" needs a value.`
      : `flag "${bare}" does not take a value.`;
  }
  return message;
}

function report(error: unknown, io: CommandIo, json: boolean, name: string): number {
  const failure = CliError.is(error)
    ? error
    : new CliError(
        EXIT.EXTERNAL,
        'INTERNAL',
        `${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
  if (json) writeJson(io, { error: { code: failure.code, message: failure.message } });
  else io.stderr.write(`${name}: ${failure.message}\n`);
  return failure.exit;
}
