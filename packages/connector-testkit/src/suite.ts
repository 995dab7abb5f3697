import { randomUUID } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ConformanceRun, explain, SETUP_TIMEOUT_MS, type SetupNeeds, within } from './run.js';
import {
  type ConformanceTarget,
  DEFAULT_TIMEOUT_MS,
  type ResolvedTarget,
  type TargetSource,
} from './target.js';

/** Upper bound for vitest's own timeouts when the target (and its timeoutMs) is only known later. */
const LATE_TARGET_TIMEOUT_MS = 10 * 60_000;
/** Slack between the suite's own deadlines and vitest's, so the suite's clearer message wins. */
export const SLACK_MS = 10_000;

/**
 * The checks of one suite depend on each other (a VM launched, then described, then terminated),
 * so they run in order, one at a time, and are never retried: a retry would launch again.
 */
export const SUITE_OPTIONS = { sequential: true, concurrent: false, shuffle: false, retry: 0 } as const;

/**
 * Registers one check whose own deadline is `budget` × timeoutMs, or `minMs` when that is longer
 * (a check that waits a fixed time of its own); vitest's timeout is only a backstop.
 */
export type Check = (
  title: string,
  budget: number,
  body: (target: ResolvedTarget) => Promise<void> | void,
  minMs?: number,
) => void;

/** What a suite's body gets: its own run (target, instance, session, errors, logs) and `check`. */
export interface SuiteContext<T extends ConformanceTarget> {
  readonly run: ConformanceRun<T>;
  readonly check: Check;
}

/** vitest's timeout for something that takes `budget` × the target's timeoutMs. */
export function vitestTimeout(source: TargetSource<ConformanceTarget>, budget: number): number {
  const base =
    typeof source === 'function' ? LATE_TARGET_TIMEOUT_MS : (source.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return budget * base + SLACK_MS;
}

/**
 * Registers one self-contained suite: a describe block whose `beforeAll` resolves the target
 * (calling it when it is a function) and opens what the suite `needs`, and whose `afterAll`
 * terminates what the suite launched, closes what it opened and tears the target down.
 */
export function registerSuite<T extends ConformanceTarget>(
  title: string,
  source: TargetSource<T>,
  needs: SetupNeeds,
  body: (suite: SuiteContext<T>) => void,
  validate?: (raw: T) => void,
): void {
  const run = new ConformanceRun<T>(source, randomUUID(), validate);
  const check: Check = (checkTitle, budget, checkBody, minMs = 0) => {
    it(checkTitle, { timeout: Math.max(vitestTimeout(source, budget), minMs + SLACK_MS) }, async () => {
      const t = run.requireTarget();
      try {
        await within(
          Math.max(budget * t.timeoutMs, minMs),
          `The check "${checkTitle}"`,
          Promise.resolve().then(() => checkBody(t)),
        );
      } catch (error) {
        // A connector call that failed where it should not: vitest would show only the message.
        if (ConnectorError.is(error)) {
          throw new Error(`A call failed unexpectedly: ${explain(error)}`, { cause: error });
        }
        throw error;
      }
    });
  };
  describe(title, SUITE_OPTIONS, () => {
    beforeAll(() => run.setup(needs), SETUP_TIMEOUT_MS + vitestTimeout(source, 2));
    afterAll(() => run.cleanup(), vitestTimeout(source, 2));
    body({ run, check });
  });
}

/** The describe block a conformance suite registered on its own sits in, as in describeConformance. */
export function describeConnector(name: string, register: () => void): void {
  describe(`${name} connector conformance`, SUITE_OPTIONS, register);
}
