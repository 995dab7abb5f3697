import {
  ConnectorError,
  createInstance,
  isAmbiguousFailure,
  type LoadedInstance,
  type Session,
  type Vm,
} from '@slipstream/connector-core';
import { afterEach, beforeEach } from 'vitest';
import { launchRequest } from './launch.js';
import { assertNoSecretLeaks } from './leak-check.js';
import { expectCode, explain, INSTANCE_NAME } from './run.js';
import { registerSuite } from './suite.js';
import { noteLaunched } from './suites/lifecycle.js';
import type { ConformanceTarget, TargetSource } from './target.js';

/** Which requests a fault hits, and how many of them. */
export interface FaultRuleOptions {
  /** The operation hit, as the test cloud names it (`listVirtualMachines`); default every request. */
  readonly match?: string;
  /** How many matching requests the fault hits; default 1, `Infinity` for every one. */
  readonly times?: number;
}

/**
 * The fault-injection handle of a test cloud. The simulators' `SimulatorControl` has this shape;
 * any other test cloud can implement it (each method may also return a promise, for a cloud
 * controlled over the network).
 */
export interface FaultControl {
  /** Answers `status` with the cloud's error body instead of handling the request. */
  failWithStatus(
    status: number,
    options?: FaultRuleOptions & { readonly message?: string },
  ): void | Promise<void>;
  /** Answers 429 Too Many Requests with `Retry-After: retryAfterSeconds`. */
  rateLimit(retryAfterSeconds: number, options?: FaultRuleOptions): void | Promise<void>;
  /**
   * Resets the connection. With `afterHandling` the cloud handles the request first, so that only
   * the answer is lost.
   */
  resetConnection(options?: FaultRuleOptions & { readonly afterHandling?: boolean }): void | Promise<void>;
  /** Handles the request and answers 200 with a body cut short (not valid JSON). */
  malformBody(options?: FaultRuleOptions): void | Promise<void>;
  /** Holds the answer back by `delayMs`. */
  addLatency(delayMs: number, options?: FaultRuleOptions): void | Promise<void>;
  /** How many requests for `operation` the cloud received since the last clearRequests. */
  count(operation: string): number | Promise<number>;
  /** Removes every pending fault. */
  clearFaults(): void | Promise<void>;
  /** Forgets the requests counted so far. */
  clearRequests(): void | Promise<void>;
}

/** A conformance target whose test cloud can inject faults. */
export interface FaultTarget extends ConformanceTarget {
  control: FaultControl;
  /**
   * The cloud's operation names, as `control.count` and `match` know them: the one that lists VMs
   * (what `describe()` sends) and the one that creates a VM (what `launch` sends), e.g. CloudStack's
   * `listVirtualMachines` and `deployVirtualMachine`.
   */
  operations: { list: string; create: string };
  /**
   * Whether the cloud's throttling answer says when to come back (`Retry-After`); default true.
   * Set false for a cloud that throttles without it, as EC2 does (503 `RequestLimitExceeded`):
   * the check then wants RATE_LIMITED after the transport's own retries with backoff.
   */
  throttlesWithRetryAfter?: boolean;
}

/**
 * Request timeout of the instance the TIMEOUT check creates. Large enough that a loaded machine
 * still gets a quick request through (a token request, say); the hang is many times longer, so
 * the only way to see the answer is to wait far beyond the timeout.
 */
const PROBE_TIMEOUT_MS = 500;
const HANG_MS = 20 * PROBE_TIMEOUT_MS;
/** When the TIMEOUT check stops waiting for a connector that does not time out. */
const GIVE_UP_MS = HANG_MS / 2;
/**
 * Longer than core's transport waits for by default (60 s), so that a well-behaved connector
 * fails at once with RATE_LIMITED and retryAfterMs rather than holding the caller.
 */
const RETRY_AFTER_SECONDS = 120;

const CONTROL_METHODS = [
  'failWithStatus',
  'rateLimit',
  'resetConnection',
  'malformBody',
  'addLatency',
  'count',
  'clearFaults',
  'clearRequests',
] as const;

/** Refuses a fault target without a control or operation names, saying what is missing. */
export function faultTargetProblems(target: FaultTarget): string[] {
  const problems: string[] = [];
  const control = target.control as unknown as Partial<Record<string, unknown>> | undefined;
  if (typeof control !== 'object' || control === null) {
    problems.push('"control" must be the test cloud\'s fault control (a simulator\'s `control`)');
  } else {
    const missing = CONTROL_METHODS.filter((method) => typeof control[method] !== 'function');
    if (missing.length > 0) problems.push(`"control" has no ${missing.join(', ')} method`);
  }
  for (const key of ['list', 'create'] as const) {
    const value = (target.operations as Partial<Record<string, unknown>> | undefined)?.[key];
    if (typeof value !== 'string' || value === '') {
      problems.push(
        `"operations.${key}" must be the name under which the test cloud counts ${key === 'list' ? 'listing VMs' : 'creating a VM'}`,
      );
    }
  }
  return problems;
}

function validateFaultTarget(target: FaultTarget): void {
  const problems = faultTargetProblems(target);
  if (problems.length > 0) {
    throw new TypeError(`The fault target is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Registers the fault checks (vitest describe/it) for one connector: how it behaves when its
 * cloud answers 503, 429, resets a connection, loses the answer to a create, answers garbage,
 * refuses the secret or hangs. Call it at the top level of a test file, with a target whose test
 * cloud injects faults, or a function that prepares one (called in the suite's `beforeAll`).
 */
export function describeFaults(name: string, target: TargetSource<FaultTarget>): void {
  registerSuite(
    `${name} connector faults`,
    target,
    'session',
    ({ run, check }) => {
      const control = (): FaultControl => run.requireRaw().control;
      const operations = (): FaultTarget['operations'] => run.requireRaw().operations;
      // Each check starts from a clean cloud and leaves one: no fault pending, no request counted.
      const reset = async (): Promise<void> => {
        const raw = run.raw;
        if (!raw) return;
        await raw.control.clearFaults();
        await raw.control.clearRequests();
      };
      beforeEach(reset);
      afterEach(reset);

      /** How many list requests one describe() sends on a healthy cloud (paging may need more). */
      const listRequestsOfDescribe = async (session: Session): Promise<number> => {
        const { list } = operations();
        await control().clearRequests();
        await session.describe();
        const count = await control().count(list);
        await control().clearRequests();
        if (count < 1) {
          throw new Error(
            `describe() sent no "${list}" request that the test cloud counted: set operations.list to the name under which the test cloud counts listing VMs.`,
          );
        }
        return count;
      };

      check('retries listing VMs after a transient 503, and succeeds', 1, async () => {
        const session = run.requireSession();
        const { list } = operations();
        const healthy = await listRequestsOfDescribe(session);
        await control().failWithStatus(503, {
          match: list,
          times: 1,
          message: 'Service briefly unavailable.',
        });
        try {
          await session.describe();
        } catch (error) {
          throw new Error(
            `describe() failed ${explain(error)} after a single 503 answer to ${list}. A 503 means the cloud did not handle the request: try again (core's transport does, unless the connector handles the status itself).`,
            { cause: error },
          );
        }
        const sent = await control().count(list);
        if (sent !== healthy + 1) {
          throw new Error(
            `After one 503, describe() sent ${list} ${sent} times; a healthy describe() sends it ${healthy} time(s), so one retry makes ${healthy + 1}.`,
          );
        }
      });

      check('fails RATE_LIMITED with retryAfterMs when throttling does not clear', 1, async () => {
        const session = run.requireSession();
        const { list } = operations();
        if (run.requireRaw().throttlesWithRetryAfter === false) {
          // No Retry-After to pass on: the transport backs off and tries again, then gives up.
          await control().rateLimit(RETRY_AFTER_SECONDS, { match: list, times: Number.POSITIVE_INFINITY });
          await run.expectFailure(
            `describe() while ${list} is throttled`,
            'RATE_LIMITED',
            () => session.describe(),
            "Throttling is RATE_LIMITED; a connector that maps errors itself must map the cloud's throttling code to it.",
          );
          const sent = await control().count(list);
          if (sent < 2) {
            throw new Error(
              `describe() sent ${list} ${sent} time(s) while throttled; throttling without Retry-After is retried with backoff by core's transport, so leave the request idempotent.`,
            );
          }
          return;
        }
        await control().rateLimit(RETRY_AFTER_SECONDS, { match: list, times: Number.POSITIVE_INFINITY });
        const error = await run.expectFailure(
          `describe() while ${list} answers 429 with Retry-After: ${RETRY_AFTER_SECONDS}`,
          'RATE_LIMITED',
          () => session.describe(),
          'A 429 is RATE_LIMITED; a connector that maps errors itself must keep the status mapping for 429.',
        );
        if (error.retryAfterMs !== RETRY_AFTER_SECONDS * 1000) {
          throw new Error(
            `The RATE_LIMITED error has retryAfterMs ${String(error.retryAfterMs)}, expected ${RETRY_AFTER_SECONDS * 1000} (Retry-After: ${RETRY_AFTER_SECONDS}). A connector that builds its own error from the cloud's body must pass on the transport's retryAfterMs, so callers know when to come back.`,
          );
        }
      });

      check('retries listing VMs after a connection reset, and succeeds', 1, async () => {
        const session = run.requireSession();
        const { list } = operations();
        const healthy = await listRequestsOfDescribe(session);
        await control().resetConnection({ match: list, times: 1 });
        try {
          await session.describe();
        } catch (error) {
          throw new Error(
            `describe() failed ${explain(error)} after one reset connection on ${list}. Listing changes nothing, so it is safe to send again: leave the request idempotent so that core's transport retries it.`,
            { cause: error },
          );
        }
        const sent = await control().count(list);
        if (sent !== healthy + 1) {
          throw new Error(
            `After one reset, describe() sent ${list} ${sent} times; a healthy describe() sends it ${healthy} time(s), so one retry makes ${healthy + 1}.`,
          );
        }
      });

      check('creates exactly one VM when the answer to its create is lost', 3, async (t) => {
        const session = run.requireSession();
        const { create } = operations();
        const request = await launchRequest(t, session);
        await control().resetConnection({ match: create, afterHandling: true, times: 1 });
        let vms: readonly Vm[] | undefined;
        let named: Vm[] = [];
        try {
          try {
            vms = await session.launch(request);
            noteLaunched(run, vms);
          } catch (error) {
            if (!ConnectorError.is(error) || !(error.retryable || isAmbiguousFailure(error))) {
              throw new Error(
                `launch failed ${explain(error)} when the answer to ${create} was lost after the cloud created the VM. It must find that VM (look it up by the idempotency key before reporting the failure) or fail with a retryable error, so that the caller launches again with the same key.`,
                { cause: error },
              );
            }
          }
          if (vms === undefined) {
            try {
              vms = await session.launch(request);
              noteLaunched(run, vms);
            } catch (error) {
              throw new Error(
                `The first launch failed retryably when its create answer was lost, but launching again with the same idempotency key failed ${explain(error)}; it must return the VM the first call created.`,
                { cause: error },
              );
            }
          }
          named = (await session.describe()).filter((vm) => vm.name === request.name);
          noteLaunched(run, named);
          const returned = vms.map((vm) => vm.id);
          if (named.length !== 1) {
            throw new Error(
              `After a launch whose create answer was lost, describe() shows ${named.length} VMs named "${request.name}" (${named.map((vm) => vm.id).join(', ') || 'none'}); there must be exactly one. Never send a create again blindly: look the launch's idempotency key up first.`,
            );
          }
          if (returned.length !== 1 || returned[0] !== named[0]?.id) {
            throw new Error(
              `launch returned [${returned.join(', ')}], but the VM named "${request.name}" is ${named[0]?.id}.`,
            );
          }
        } finally {
          // The VMs this check made are of no use to the next one; afterAll retries what fails here.
          const ids = [...new Set([...(vms ?? []), ...named].map((vm) => vm.id))];
          if (ids.length > 0) {
            try {
              await session.terminate(ids);
              for (const id of ids) run.terminated.add(id);
            } catch {
              // Left to the suite's afterAll, which reports a VM it cannot terminate.
            }
          }
        }
      });

      check('fails CLOUD_ERROR when the listing answer is not valid JSON', 1, async () => {
        const session = run.requireSession();
        const { list } = operations();
        await control().malformBody({ match: list, times: 1 });
        await run.expectFailure(
          `describe() when the answer to ${list} is cut short`,
          'CLOUD_ERROR',
          () => session.describe(),
          "An answer that does not parse must fail, never read as an empty list: parse it with the response's json(), which core turns into CLOUD_ERROR.",
        );
      });

      check('fails AUTH_FAILED with a wrong secret', 1, async (t) => {
        const instance = run.requireInstance();
        const hint =
          'Map the 401/403-style answers the cloud gives to rejected credentials to AUTH_FAILED. If the test cloud accepts any credentials, give the target badCredentials it rejects.';
        let session: Session;
        try {
          const opened = await instance.session(t.badCredentials);
          run.closeLater('the wrong-secret session', () => opened.close?.());
          session = run.recording(opened, 'wrong-secret session');
        } catch (error) {
          run.record('opening a session with a wrong secret', error);
          if (ConnectorError.hasCode(error, 'AUTH_FAILED')) return;
          throw new Error(
            `Opening a session with a wrong secret failed ${explain(error)}, not AUTH_FAILED. ${hint}`,
            {
              cause: error,
            },
          );
        }
        await run.expectFailure(
          'describe() with a wrong secret',
          'AUTH_FAILED',
          () => session.describe(),
          hint,
        );
      });

      // Last but for the secret check: the held-back request is only counted when its delay ends,
      // which would otherwise land in a later check's counts.
      check(
        'fails TIMEOUT when the cloud does not answer in time',
        1,
        async (t) => {
          const { list } = operations();
          await control().addLatency(HANG_MS, { match: list, times: Number.POSITIVE_INFINITY });
          const what = `describe() on an instance with a ${PROBE_TIMEOUT_MS} ms request timeout while ${list} takes ${HANG_MS} ms`;
          const hint =
            "Send every request through the instance's HTTP transport (context.http) without overriding its timeout, so that a cloud that does not answer fails TIMEOUT instead of holding the caller.";
          let impatient: LoadedInstance | undefined;
          let timer: NodeJS.Timeout | undefined;
          let settled = false;
          try {
            const attempt = (async () => {
              impatient = await createInstance(t.definition, {
                instance: INSTANCE_NAME,
                parameters: t.parameters,
                logger: run.logger,
                http: { requestTimeoutMs: PROBE_TIMEOUT_MS, retries: 0 },
              });
              const session = run.recording(await impatient.session(t.credentials), 'impatient session');
              await session.describe();
            })().finally(() => {
              settled = true;
            });
            // Far beyond the request timeout, yet before the hang ends: a connector that waits it
            // out fails here, with a message that says so, rather than on the check's deadline.
            const patience = new Promise<'waiting'>((resolve) => {
              timer = setTimeout(() => resolve('waiting'), GIVE_UP_MS);
            });
            let outcome: unknown;
            try {
              outcome = await Promise.race([attempt, patience]);
            } catch (error) {
              run.record(what, error);
              expectCode(error, 'TIMEOUT', what, hint);
              return;
            }
            attempt.catch(() => {}); // Settles after the check; its failure no longer matters.
            throw new Error(
              outcome === 'waiting'
                ? `${what} had no answer after ${GIVE_UP_MS} ms, ${GIVE_UP_MS / PROBE_TIMEOUT_MS} times the request timeout. ${hint}`
                : `${what} should fail TIMEOUT, but it succeeded. ${hint}`,
            );
          } finally {
            clearTimeout(timer);
            // Closing waits for the request in flight, so a connector still waiting out the hang
            // gets its instance closed after the suite instead of holding this check.
            if (settled) await impatient?.close();
            else run.closeLater('the impatient instance', () => impatient?.close());
          }
        },
        GIVE_UP_MS + PROBE_TIMEOUT_MS * 4,
      );

      check('never shows a secret in an error or a log (run last)', 1, (t) => {
        assertNoSecretLeaks(run, t);
      });
    },
    validateFaultTarget,
  );
}
