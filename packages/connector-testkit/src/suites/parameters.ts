import { createInstance } from '@slipstream/connector-core';
import { assertNoProblems, explain, INSTANCE_NAME } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';

/** A parameter or credential key no connector declares, to check unknown keys are reported. */
export const UNKNOWN_KEY = 'conformance.unknown.key';

/** Instance parameters: missing and unknown ones reported, the given ones make an instance. */
export function registerParameters(source: TargetSource<ConformanceTarget>): void {
  registerSuite('instance parameters', source, 'instance', ({ run, check }) => {
    check('reports every missing required parameter at once (CONFIG_INVALID)', 1, async ({ definition }) => {
      const required = definition.parameters
        .filter((p) => p.required && p.default === undefined)
        .map((p) => p.key);
      const create = () =>
        createInstance(definition, { instance: INSTANCE_NAME, parameters: {}, logger: run.logger });
      if (required.length === 0) {
        // Nothing is required, so the defaults alone must make a working instance.
        let instance: Awaited<ReturnType<typeof create>>;
        try {
          instance = await create();
        } catch (error) {
          run.record('createInstance with no parameters', error);
          throw new Error(
            `The connector has no required parameter without a default, yet createInstance with no parameters failed: ${explain(error)}`,
            { cause: error },
          );
        }
        await instance.close();
        return;
      }
      const error = await run.expectFailure('createInstance with no parameters', 'CONFIG_INVALID', create);
      const problems: string[] = [];
      for (const key of required) {
        const count = error.problems.filter((p) => p.key === key).length;
        if (count !== 1)
          problems.push(`required parameter "${key}" is reported ${count} times, expected once`);
      }
      assertNoProblems(
        problems,
        `CONFIG_INVALID must list each missing required parameter (${required.join(', ')}) once, all at once:`,
      );
    });

    check('reports an unknown parameter key (CONFIG_INVALID)', 1, async (t) => {
      const error = await run.expectFailure(
        'createInstance with an unknown parameter',
        'CONFIG_INVALID',
        () =>
          createInstance(t.definition, {
            instance: INSTANCE_NAME,
            parameters: { ...t.parameters, [UNKNOWN_KEY]: 'x' },
            logger: run.logger,
          }),
      );
      if (!error.problems.some((p) => p.key === UNKNOWN_KEY)) {
        throw new Error(
          `CONFIG_INVALID does not report the unknown parameter "${UNKNOWN_KEY}" among its problems.`,
        );
      }
    });

    check('creates an instance from the given parameters', 1, () => {
      run.requireInstance();
    });
  });
}

/** Registers only the instance-parameter checks; see {@link describeDefinition} for the target. */
export function describeParameters(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerParameters(target));
}
