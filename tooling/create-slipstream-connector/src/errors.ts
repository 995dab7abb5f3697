/**
 * Why a scaffold was refused or failed. `code` tells the CLI which exit status to use; `problems`
 * lists every problem found, so that one run reports them all.
 */
export type ScaffoldErrorCode =
  /** An option is invalid (name, scope, license, cloud); nothing was written. */
  | 'INVALID_OPTIONS'
  /** The target exists and is not an empty directory; nothing was written. */
  | 'TARGET_NOT_EMPTY'
  /** Writing failed (permissions, disk full); whatever had been written was removed. */
  | 'WRITE_FAILED';

export class ScaffoldError extends Error {
  readonly code: ScaffoldErrorCode;
  readonly problems: readonly string[];

  constructor(code: ScaffoldErrorCode, message: string, problems: readonly string[] = [], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ScaffoldError';
    this.code = code;
    this.problems = Object.freeze([...problems]);
  }
}
