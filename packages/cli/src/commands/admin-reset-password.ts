import { text } from 'node:stream/consumers';
import { resetPassword, ServerError } from '@slipstream/server';
import { type Command, EXIT } from '../command.js';
import { resolveHome } from '../configured.js';
import { defineCommand } from '../define.js';
import { CliError } from '../errors.js';
import { writeJson } from '../output.js';

export const RESET_PASSWORD_HELP = `Usage: slipstream admin reset-password [--user NAME] [--password-stdin] [--home DIR] [--json]

Sets a new password for a user of a server's home — a lost admin password — without logging in.
The password is generated and printed once, or read from standard input with --password-stdin. The
account is enabled if it was disabled, and its login sessions end (whoever held the old password is
logged out); its API tokens stay (revoke them on the tokens page). Works while the server runs.

Flags:
  --user NAME       whose password (default: admin)
  --password-stdin  read the new password from standard input instead of generating one
  --home DIR        the server's home (default: SLIPSTREAM_HOME, else ./.slipstream)
  --json            one JSON document: { "user", "password" (when generated), "sessionsEnded" }
  -h, --help        this help

Exit statuses: 0 reset, 1 no such user or the password is refused, 2 bad usage.
`;

export const adminResetPassword: Command = defineCommand({
  path: ['admin', 'reset-password'],
  summary: 'set a new password for a user (a lost admin password)',
  help: RESET_PASSWORD_HELP,
  json: true,
  flags: { user: { type: 'string' }, 'password-stdin': { type: 'boolean' }, home: { type: 'string' } },
  async run({ strings, booleans, json }, io) {
    const home = resolveHome(strings.home, io.env, io.cwd);
    let password: string | undefined;
    if (booleans['password-stdin']) {
      if (io.stdin === undefined)
        throw CliError.usage('--password-stdin: there is no standard input to read.');
      password = (await text(io.stdin)).replace(/\r?\n$/, '');
    }
    let result: Awaited<ReturnType<typeof resetPassword>>;
    try {
      result = await resetPassword({ home, env: io.env, user: strings.user, password });
    } catch (error) {
      if (!ServerError.is(error)) throw error;
      throw new CliError(
        error.code === 'CONFIG_INVALID' ? EXIT.EXTERNAL : EXIT.PROBLEMS,
        error.code,
        error.message,
      );
    }
    if (json) {
      writeJson(io, {
        user: result.user,
        ...(result.generatedPassword === undefined ? {} : { password: result.generatedPassword }),
        sessionsEnded: result.sessionsEnded,
      });
      return EXIT.OK;
    }
    const ended =
      result.sessionsEnded === 1 ? '1 login session ended' : `${result.sessionsEnded} login sessions ended`;
    if (result.generatedPassword === undefined) {
      io.stdout.write(`The password of "${result.user}" is set (${ended}).\n`);
    } else {
      io.stdout.write(
        `The password of "${result.user}" is now\n  ${result.generatedPassword}\nIt is shown only this once (${ended}).\n`,
      );
    }
    return EXIT.OK;
  },
});
