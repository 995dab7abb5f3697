import {
  ConnectorError,
  createInstance,
  type ErrorCode,
  type LoadedInstance,
  type Logger,
  type Session,
} from '@slipstream/connector-core';
import { captureLogs, type LogEntry } from './log-capture.js';
import type { ConformanceTarget, ResolvedTarget, TargetSource } from './target.js';
import { resolveTarget } from './target.js';

/** The instance name the suite creates, as a connector list would name it. */
export const INSTANCE_NAME = 'conformance';
/** How long the function form of a target may take (starting a simulator, say). */
export const SETUP_TIMEOUT_MS = 120_000;

/** An error the suite saw, with the call that produced it, for the secret-leak check. */
export interface RecordedError {
  readonly what: string;
  readonly error: unknown;
}

const SESSION_METHODS = [
  'checkCredentials',
  'listImages',
  'listSizes',
  'listZones',
  'launch',
  'describe',
  'terminate',
  'stop',
  'start',
  'close',
] as const;

/** How far a suite's `beforeAll` goes: only the target, an instance too, or a session too. */
export type SetupNeeds = 'target' | 'instance' | 'session';

/**
 * The state one suite shares between its own tests: the target, the instance and session made
 * from it, every error seen, and what must be cleaned up. Each suite has its own run, so suites
 * never see each other's sessions, VMs or errors. Setup failures are kept, not thrown, so that
 * each test can say which earlier step it needed and why that step failed.
 */
export class ConformanceRun<T extends ConformanceTarget = ConformanceTarget> {
  target: ResolvedTarget | undefined;
  /** The target as given (or as the function returned it), for what only some suites read. */
  raw: T | undefined;
  private targetError: unknown;
  private teardown: (() => Promise<void> | void) | undefined;
  instance: LoadedInstance | undefined;
  private instanceError: unknown;
  private openedSession: Session | undefined;
  private sessionError: unknown;
  readonly errors: RecordedError[] = [];
  readonly logs: LogEntry[];
  /** Ids of every VM a launch returned, to terminate after the suite. */
  readonly launched = new Set<string>();
  /** Launched VMs a test already saw terminated. */
  readonly terminated = new Set<string>();
  private readonly closers: { readonly what: string; readonly close: () => Promise<void> | void }[] = [];
  readonly logger: Logger;

  constructor(
    private readonly source: TargetSource<T>,
    private readonly unknownVmId: string,
    /** Extra checks of the raw target (a fault target's control, say); throws saying what is wrong. */
    private readonly validate?: (raw: T) => void,
  ) {
    const capture = captureLogs();
    this.logger = capture.logger;
    this.logs = capture.entries;
  }

  async setup(needs: SetupNeeds = 'session'): Promise<void> {
    try {
      const raw =
        typeof this.source === 'function'
          ? await within(SETUP_TIMEOUT_MS, 'The conformance target function', Promise.resolve(this.source()))
          : this.source;
      // Kept before validation: a function that started a simulator and returned a malformed
      // target must still get to stop it.
      if (typeof raw?.teardown === 'function') this.teardown = raw.teardown;
      this.target = resolveTarget(raw, this.unknownVmId);
      this.validate?.(raw);
      this.raw = raw;
    } catch (error) {
      this.target = undefined;
      this.targetError = error;
      return;
    }
    if (needs === 'target') return;
    const { definition, parameters, credentials, timeoutMs } = this.target;
    try {
      const instance = await within(
        timeoutMs,
        'createInstance',
        createInstance(definition, { instance: INSTANCE_NAME, parameters, logger: this.logger }),
      );
      this.instance = instance;
      this.closeLater('the instance', () => instance.close());
    } catch (error) {
      this.record('createInstance with the given parameters', error);
      this.instanceError = error;
      return;
    }
    if (needs === 'instance') return;
    try {
      const session = await within(timeoutMs, 'Opening a session', this.instance.session(credentials));
      this.closeLater('the session', () => session.close?.());
      this.openedSession = this.recording(session, 'session');
    } catch (error) {
      this.record('opening a session with the good credentials', error);
      this.sessionError = error;
    }
  }

  /** Terminates the VMs still up, closes sessions and instances, then calls the target's teardown. */
  async cleanup(): Promise<void> {
    const failures: string[] = [];
    const leftovers = [...this.launched].filter((id) => !this.terminated.has(id));
    const session = this.openedSession;
    if (session && this.target) {
      for (const id of leftovers) {
        try {
          await within(this.target.timeoutMs, `terminate(["${id}"])`, session.terminate([id]));
        } catch (error) {
          if (!ConnectorError.hasCode(error, 'NOT_FOUND')) {
            failures.push(`Could not terminate conformance VM ${id}: ${explain(error)}. Delete it by hand.`);
          }
        }
      }
    }
    for (const { what, close } of this.closers.reverse()) {
      try {
        await close();
      } catch (error) {
        failures.push(`Closing ${what} failed: ${explain(error)}`);
      }
    }
    try {
      await this.teardown?.();
    } catch (error) {
      failures.push(`The target's teardown failed: ${explain(error)}`);
    }
    if (failures.length > 0)
      throw new Error(`Conformance cleanup failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  }

  closeLater(what: string, close: () => Promise<void> | void): void {
    this.closers.push({ what, close });
  }

  requireTarget(): ResolvedTarget {
    if (this.target) return this.target;
    if (this.targetError !== undefined) {
      throw new Error(
        `The conformance target could not be prepared, so no check can run: ${explain(this.targetError)}`,
        { cause: this.targetError },
      );
    }
    throw new Error("The conformance target was not prepared: the suite's beforeAll did not run.");
  }

  requireRaw(): T {
    this.requireTarget();
    if (this.raw) return this.raw;
    throw new Error("The conformance target was not prepared: the suite's beforeAll did not run.");
  }

  requireInstance(): LoadedInstance {
    const target = this.requireTarget();
    if (this.instance) return this.instance;
    throw new Error(
      `createInstance(definition, { instance: '${INSTANCE_NAME}', parameters }) failed with the target's parameters, so this check cannot run: ${explain(this.instanceError)}. The parameters given were: ${Object.keys(target.parameters).join(', ') || 'none'}.`,
      { cause: this.instanceError },
    );
  }

  requireSession(): Session {
    this.requireInstance();
    if (this.openedSession) return this.openedSession;
    throw new Error(
      `Opening a session with the target's good credentials failed, so this check cannot run: ${explain(this.sessionError)}`,
      { cause: this.sessionError },
    );
  }

  record(what: string, error: unknown): void {
    this.errors.push({ what, error });
  }

  /** A session whose failures are all recorded for the secret-leak check. */
  recording(session: Session, label: string): Session {
    const wrapped: Record<string, unknown> = {};
    for (const name of SESSION_METHODS) {
      const method = session[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (typeof method !== 'function') continue;
      wrapped[name] = async (...args: unknown[]): Promise<unknown> => {
        try {
          return await method.apply(session, args);
        } catch (error) {
          this.record(`${label}.${name}`, error);
          throw error;
        }
      };
    }
    return wrapped as unknown as Session;
  }

  /**
   * Runs a call that must fail with `code` and returns its error. `hint` tells the connector
   * author what usually causes the call to succeed or fail differently.
   */
  async expectFailure(
    what: string,
    code: ErrorCode,
    call: () => Promise<unknown>,
    hint = '',
  ): Promise<ConnectorError> {
    let error: unknown;
    try {
      await call();
    } catch (caught) {
      error = caught;
    }
    if (error === undefined)
      throw new Error(`${what} should fail ${code}, but it succeeded.${hint ? ` ${hint}` : ''}`);
    if (!this.errors.some((recorded) => recorded.error === error)) this.record(what, error);
    return expectCode(error, code, what, hint);
  }
}

/** The error as a ConnectorError with `code`, or an Error saying what it was instead. */
export function expectCode(error: unknown, code: ErrorCode, what: string, hint = ''): ConnectorError {
  if (!ConnectorError.is(error)) {
    throw new Error(`${what} should fail with a ConnectorError ${code}, but threw ${explain(error)}.`, {
      cause: error,
    });
  }
  if (error.code !== code) {
    throw new Error(`${what} should fail ${code}, but failed ${explain(error)}.${hint ? ` ${hint}` : ''}`, {
      cause: error,
    });
  }
  return error;
}

/** `promise`, or a clear failure when it does not settle within `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `${what} did not finish within ${ms} ms. A call that never settles usually lacks a request timeout; raise timeoutMs if the cloud is only slow.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line about an error for a test message: its code and message when it is a ConnectorError. */
export function explain(error: unknown): string {
  if (ConnectorError.is(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Throws one Error listing every problem, or nothing when there is none. */
export function assertNoProblems(problems: readonly string[], intro: string): void {
  if (problems.length > 0) throw new Error(`${intro}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
