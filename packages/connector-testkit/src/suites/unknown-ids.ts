import type { Vm } from '@slipstream/connector-core';
import { explain } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';

/** Ids the cloud never knew: left out of describe, NOT_FOUND for terminate. */
export function registerUnknownIds(source: TargetSource<ConformanceTarget>): void {
  registerSuite('unknown VM ids', source, 'session', ({ run, check }) => {
    check('describe({ ids: [unknown] }) returns [] (unknown ids are left out, not errors)', 1, async (t) => {
      let vms: readonly Vm[];
      try {
        vms = await run.requireSession().describe({ ids: [t.unknownVmId] });
      } catch (error) {
        throw new Error(
          `describe({ ids: ["${t.unknownVmId}"] }) must return [] for an id the cloud does not know, but it failed ${explain(error)}. (If the cloud rejects malformed ids, set target.unknownVmId to a well-formed unknown id.)`,
          { cause: error },
        );
      }
      if (vms.length !== 0) {
        throw new Error(`describe({ ids: ["${t.unknownVmId}"] }) must return [], got ${vms.length} VMs.`);
      }
    });

    check('terminate([unknown]) fails NOT_FOUND', 1, async (t) => {
      const session = run.requireSession();
      await run.expectFailure(
        `terminate(["${t.unknownVmId}"])`,
        'NOT_FOUND',
        () => session.terminate([t.unknownVmId]),
        'An id the cloud never knew is NOT_FOUND (only an already terminated VM may be terminated again silently).',
      );
    });
  });
}

/** Registers only the unknown-id checks; see {@link describeDefinition} for the target. */
export function describeUnknownIds(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerUnknownIds(target));
}
