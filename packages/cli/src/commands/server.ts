import { ConnectorError } from '@slipstream/connector-core';
import {
  type RunningServer,
  readServerSettings,
  ServerError,
  startServer,
  startupBanner,
} from '@slipstream/server';
import { type Command, EXIT } from '../command.js';
import { resolveHome } from '../configured.js';
import { defineCommand } from '../define.js';
import { CliError } from '../errors.js';
import { resolveServerDir } from '../server-dir.js';

export const SERVER_HELP = `Usage: slipstream server [--strict] [--home DIR] [--server-dir DIR]

Starts the SlipStream server in the foreground, like slipstream-server; stop it with Ctrl+C.
Connector packages are loaded from the server installation. Settings come from the environment:
HOST, PORT, SLIPSTREAM_HOME, SLIPSTREAM_CONNECTORS, SLIPSTREAM_CONFIG, SLIPSTREAM_ADMIN_PASSWORD,
SLIPSTREAM_SECRET_KEY, SLIPSTREAM_STRICT, SLIPSTREAM_LOG_LEVEL, SLIPSTREAM_LOG_FORMAT (see @slipstream/server's README).

Flags:
  --strict          refuse to start when a configured connector instance does not load
  --home DIR        the server's data directory, instead of SLIPSTREAM_HOME (default: ./.slipstream);
                    it must exist (create it for a first start), so a mistyped one is not
                    taken for a new, empty server
  --server-dir DIR  the server installation connectors load from (default: in a checkout of this
                    repository its packages/server; else where @slipstream/server resolves from
                    the current directory; else the current directory)
  -h, --help        this help

Exit statuses: 0 stopped cleanly, 1 invalid settings or instances that do not load with --strict,
2 bad usage (a --home that does not exist), 3 the server could not start (port in use, say) or stop.
`;

export const server: Command = defineCommand({
  path: ['server'],
  summary: 'start the SlipStream server',
  help: SERVER_HELP,
  flags: { strict: { type: 'boolean' }, home: { type: 'string' }, 'server-dir': { type: 'string' } },
  async run({ strings, booleans }, io) {
    const from = await resolveServerDir(strings['server-dir'], io.cwd);
    const env =
      strings.home === undefined
        ? io.env
        : { ...io.env, SLIPSTREAM_HOME: resolveHome(strings.home, io.env, io.cwd) };
    let running: RunningServer;
    try {
      const settings = readServerSettings({
        env,
        argv: booleans.strict ? ['--strict'] : [],
        cwd: io.cwd,
        terminal: (io.stdout as { isTTY?: boolean }).isTTY === true,
      });
      running = await startServer({ settings, from, env });
    } catch (error) {
      throw startFailure(error);
    }
    io.stdout.write(startupBanner(running));
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) =>
        io.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    try {
      await running.close();
    } catch (error) {
      throw new CliError(
        EXIT.EXTERNAL,
        'STOP_FAILED',
        `Stopping the server failed: ${(error as Error).message}`,
      );
    }
    return EXIT.OK;
  },
});

function startFailure(error: unknown): CliError {
  if (ConnectorError.is(error) || ServerError.is(error))
    return new CliError(EXIT.PROBLEMS, error.code, error.message);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    code === 'EADDRINUSE'
      ? ': another program uses that port; set PORT to a free one (PORT=0 picks one).'
      : code === 'EADDRNOTAVAIL'
        ? ': HOST is not an address of this machine; set HOST to one (127.0.0.1, 0.0.0.0).'
        : '';
  return new CliError(
    EXIT.EXTERNAL,
    typeof code === 'string' ? code : 'START_FAILED',
    `The server did not start: ${message}${hint}`,
  );
}
