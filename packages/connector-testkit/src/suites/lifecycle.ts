import {
  type CallOptions,
  type LaunchRequest,
  type Session,
  type Vm,
  type VmState,
  waitFor,
} from '@slipstream/connector-core';
import { launchRequest } from '../launch.js';
import { assertNoProblems, type ConformanceRun, explain } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, ResolvedTarget, TargetSource } from '../target.js';
import { runningVmProblems } from '../vm-checks.js';

interface Launched {
  readonly request: LaunchRequest;
  readonly id: string;
}

/** waitFor with the target's timeout and poll interval. */
export function waitForState(
  session: Session,
  t: ResolvedTarget,
  ids: readonly string[],
  state: VmState,
  options: CallOptions = {},
): Promise<Vm[]> {
  return waitFor(session, ids, state, {
    timeout: t.timeoutMs,
    interval: t.pollIntervalMs,
    maxInterval: t.pollIntervalMs,
    signal: options.signal,
  });
}

/** The one VM `id` once in `state`, or an Error saying what to check when it does not get there. */
export async function waitOrExplain(
  session: Session,
  t: ResolvedTarget,
  id: string,
  state: VmState,
  after: string,
): Promise<Vm> {
  try {
    const [vm] = await waitForState(session, t, [id], state);
    if (!vm) throw new Error('waitFor returned nothing');
    return vm;
  } catch (error) {
    throw new Error(
      `After ${after}, VM ${id} did not reach "${state}" within ${t.timeoutMs} ms: ${explain(error)}. Check that describe reports the VM and that the state table maps the cloud's state to "${state}" (or raise timeoutMs).`,
      { cause: error },
    );
  }
}

/**
 * One VM's life: launch, describe, an idempotent relaunch, stop/start, an aborted wait, terminate.
 * The checks work on the VM the first one launches, so they run in order within this suite.
 */
export function registerLifecycle(source: TargetSource<ConformanceTarget>): void {
  registerSuite('VM lifecycle', source, 'session', ({ run, check }) => {
    // This suite's own progress; each call of registerLifecycle has its own.
    let launchAttempted = false;
    let launchError: unknown;
    let launched: Launched | undefined;
    let running: Vm | undefined;
    let runningError: unknown;

    const requireLaunched = (): Launched => {
      run.requireSession();
      if (launched) return launched;
      if (!launchAttempted)
        throw new Error('The launch check did not run (filtered out?); this check needs the VM it launches.');
      throw new Error(`launch failed earlier, so this check has no VM to work on: ${explain(launchError)}`, {
        cause: launchError,
      });
    };
    const requireRunning = (): Launched & { vm: Vm } => {
      const vm = requireLaunched();
      if (running) return { ...vm, vm: running };
      throw new Error(
        `The launched VM ${vm.id} is not running (it never reached running earlier, or an earlier check left it otherwise), so this check cannot run: ${explain(runningError)}`,
        { cause: runningError },
      );
    };

    check('launches one VM that reaches running with what was asked for', 3, async (t) => {
      const session = run.requireSession();
      launchAttempted = true;
      let request: LaunchRequest;
      try {
        request = await launchRequest(t, session);
        const vms = await session.launch(request);
        noteLaunched(run, vms);
        if (!Array.isArray(vms) || vms.length !== 1) {
          throw new Error(
            `launch without count must return exactly 1 VM, it returned ${Array.isArray(vms) ? vms.length : typeof vms}.`,
          );
        }
        const [vm] = vms as [Vm];
        if (typeof vm.id !== 'string' || vm.id === '')
          throw new Error('launch returned a VM without a string id.');
        launched = { request, id: vm.id };
      } catch (error) {
        launchError = error;
        throw error;
      }
      try {
        running = await waitOrExplain(session, t, launched.id, 'running', 'launch');
      } catch (error) {
        runningError = error;
        throw error;
      }
      assertNoProblems(
        runningVmProblems(running, request, t.definition.capabilities),
        `The launched VM, once running, does not match the launch request ${JSON.stringify({ ...request, sshPublicKey: request.sshPublicKey && '…', userData: request.userData && '…' })}:`,
      );
    });

    check('describe() lists the launched VM', 1, async () => {
      const { id } = requireLaunched();
      const vms = await run.requireSession().describe();
      if (!vms.some((vm) => vm.id === id)) {
        throw new Error(
          `describe() without ids must list all the user's VMs, but the launched VM ${id} is missing (got ${vms.length} VMs: ${vms.map((vm) => vm.id).join(', ') || 'none'}).`,
        );
      }
    });

    check('describe({ ids: [id] }) returns exactly that VM', 1, async () => {
      const { id } = requireLaunched();
      const vms = await run.requireSession().describe({ ids: [id] });
      if (vms.length !== 1 || vms[0]?.id !== id) {
        throw new Error(
          `describe({ ids: ["${id}"] }) must return exactly that VM, got ${vms.length} VMs: ${vms.map((vm) => vm.id).join(', ') || 'none'}.`,
        );
      }
    });

    check('describe() returns VMs made for the call, sharing no object with another call', 1, async () => {
      const { id } = requireLaunched();
      const session = run.requireSession();
      const [first] = await session.describe({ ids: [id] });
      const [second] = await session.describe({ ids: [id] });
      if (!first || !second) throw new Error(`describe({ ids: ["${id}"] }) did not return the VM twice.`);
      const shared = (['vm', 'publicIps', 'privateIps', 'tags'] as const).filter((part) =>
        part === 'vm' ? first === second : first[part] === second[part],
      );
      if (shared.length > 0) {
        throw new Error(
          `Two describe() calls returned the same ${shared.join(', ')} object(s) for VM ${id}: core passes VMs on without copying, so a caller that changes one would change the other (and the connector's own copy). Build each VM, its arrays and its tags afresh in every call.`,
        );
      }
    });

    check('a launch retried with the same idempotency key returns the same VM', 1, async () => {
      const { id, request } = requireLaunched();
      const session = run.requireSession();
      const again = await session.launch(request);
      noteLaunched(run, again);
      const ids = again.map((vm) => vm.id);
      if (ids.length !== 1 || ids[0] !== id) {
        throw new Error(
          `Launching again with the same request and idempotencyKey must return the first call's VM [${id}], got [${ids.join(', ')}]. Remember the key (a tag, a client token) and look it up before creating.`,
        );
      }
      const named = (await session.describe()).filter((vm) => vm.name === request.name).map((vm) => vm.id);
      if (named.length !== 1 || named[0] !== id) {
        throw new Error(
          `After the retried launch, describe() shows ${named.length} VMs named "${request.name}" (${named.join(', ')}); a retried launch must never create another VM.`,
        );
      }
    });

    check(
      'stops and starts the VM when capabilities.stopStart, else refuses with UNSUPPORTED',
      5,
      async (t) => {
        const { id } = requireRunning();
        const session = run.requireSession();
        if (!t.definition.capabilities.stopStart) {
          const hint = 'capabilities.stopStart is false, so core must answer UNSUPPORTED.';
          await run.expectFailure(
            'stop',
            'UNSUPPORTED',
            () => session.stop?.([id]) ?? Promise.resolve(),
            hint,
          );
          await run.expectFailure(
            'start',
            'UNSUPPORTED',
            () => session.start?.([id]) ?? Promise.resolve(),
            hint,
          );
          return;
        }
        if (!session.stop || !session.start)
          throw new Error('The session has no stop/start although capabilities.stopStart is true.');
        running = undefined;
        try {
          await session.stop([id]);
          const stopped = await waitOrExplain(session, t, id, 'stopped', 'stop');
          if (stopped.rawState === '') throw new Error(`The stopped VM ${id} has an empty rawState.`);
          await session.start([id]);
          running = await waitOrExplain(session, t, id, 'running', 'start');
        } catch (error) {
          runningError = error;
          throw error;
        }
      },
    );

    check('aborting a waitFor mid-wait rejects ABORTED', 2, async (t) => {
      const { id } = requireRunning();
      const session = run.requireSession();
      const controller = new AbortController();
      // Wait for a state the running VM will not reach by itself, and abort after a poll or so,
      // landing in describe or in the pause between polls. No custom reason: a connector that
      // rethrows signal.reason (as fetch does) must see a standard AbortError, which core maps.
      const timer = setTimeout(() => controller.abort(), t.pollIntervalMs * 1.5);
      try {
        await run.expectFailure(
          `waitFor(["${id}"], 'stopped') aborted mid-wait`,
          'ABORTED',
          () => waitForState(session, t, [id], 'stopped', { signal: controller.signal }),
          'describe must honour its AbortSignal (pass it to the HTTP request).',
        );
      } finally {
        clearTimeout(timer);
      }
    });

    check('terminates the VM; terminating it again succeeds', 2, async (t) => {
      const { id } = requireLaunched();
      const session = run.requireSession();
      await session.terminate([id]);
      running = undefined;
      await waitOrExplain(session, t, id, 'terminated', 'terminate');
      run.terminated.add(id);
      try {
        await session.terminate([id]);
      } catch (error) {
        throw new Error(
          `Terminating an already terminated VM must succeed (terminate is idempotent), but it failed ${explain(error)}.`,
          { cause: error },
        );
      }
    });
  });
}

/** Remembers every VM a launch returned, so that the suite's afterAll terminates what is left. */
export function noteLaunched(run: Pick<ConformanceRun, 'launched'>, vms: unknown): void {
  for (const vm of Array.isArray(vms) ? (vms as Partial<Vm>[]) : []) {
    if (typeof vm?.id === 'string' && vm.id !== '') run.launched.add(vm.id);
  }
}

/** Registers only the VM lifecycle checks; see {@link describeDefinition} for the target. */
export function describeLifecycle(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerLifecycle(target));
}
