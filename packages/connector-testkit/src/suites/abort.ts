import { type CallOptions, ConnectorError, type Vm } from '@slipstream/connector-core';
import { placeholderLaunch } from '../launch.js';
import { assertNoProblems, explain } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';

/** Every session call given an already aborted signal rejects ABORTED. */
export function registerAbort(source: TargetSource<ConformanceTarget>): void {
  registerSuite('abort', source, 'session', ({ run, check }) => {
    check('every session call given an already aborted signal rejects ABORTED', 1, async (t) => {
      const session = run.requireSession();
      const unknown = [t.unknownVmId];
      const request = placeholderLaunch('aborted');
      const calls: [string, (options: CallOptions) => Promise<unknown> | undefined][] = [
        ['checkCredentials', (o) => session.checkCredentials(o)],
        ['listImages', (o) => session.listImages(o)],
        ['listSizes', (o) => session.listSizes(o)],
        ['listZones', (o) => session.listZones(o)],
        ['launch', (o) => session.launch(request, o)],
        ['describe()', (o) => session.describe({}, o)],
        ['describe({ ids })', (o) => session.describe({ ids: unknown }, o)],
        ['terminate', (o) => session.terminate(unknown, o)],
        ['stop', (o) => session.stop?.(unknown, o)],
        ['start', (o) => session.start?.(unknown, o)],
      ];
      const problems: string[] = [];
      for (const [what, call] of calls) {
        const signal = AbortSignal.abort();
        try {
          const result = call({ signal });
          if (result === undefined) {
            problems.push(`${what} is missing from the session`);
            continue;
          }
          const value = await result;
          if (Array.isArray(value))
            for (const vm of value as Vm[]) if (typeof vm?.id === 'string') run.launched.add(vm.id);
          problems.push(`${what} resolved`);
        } catch (error) {
          run.record(`${what} with an aborted signal`, error);
          if (!ConnectorError.hasCode(error, 'ABORTED')) problems.push(`${what} failed ${explain(error)}`);
        }
      }
      assertNoProblems(problems, 'Every session call must reject ABORTED when its signal has already fired:');
    });
  });
}

/** Registers only the abort check; see {@link describeDefinition} for the target. */
export function describeAbort(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerAbort(target));
}
