import { EXIT, type ExitStatus } from './command.js';

/**
 * A failure a command reports to the user: the exit status, a stable code for `--json` readers,
 * and a message that names the input and says how to fix it.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exit: ExitStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static usage(message: string): CliError {
    return new CliError(EXIT.USAGE, 'USAGE', message);
  }

  static is(error: unknown): error is CliError {
    return error instanceof CliError;
  }
}
