import { randomBytes, randomUUID } from 'node:crypto';
import {
  type CallOptions,
  CONTRACT_VERSION,
  ConnectorError,
  checkDefinition,
  createInstance,
  type Image,
  type LaunchRequest,
  type Session,
  type Size,
  type Vm,
  type VmState,
  waitFor,
  type Zone,
} from '@slipstream/connector-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsOf } from './credentials.js';
import { plainDataProblems, secretMarkingProblems, stateTableProblems } from './definition-checks.js';
import { findSecretLeaks } from './leaks.js';
import { assertNoProblems, ConformanceRun, explain, INSTANCE_NAME, SETUP_TIMEOUT_MS, within } from './run.js';
import { conformanceSshPublicKey } from './ssh.js';
import { type ConformanceTarget, DEFAULT_TIMEOUT_MS, type ResolvedTarget } from './target.js';
import { catalogProblems, runningVmProblems } from './vm-checks.js';

/** A parameter or credential key no connector declares, to check unknown keys are reported. */
const UNKNOWN_KEY = 'conformance.unknown.key';
/** Upper bound for vitest's own timeouts when the target (and its timeoutMs) is only known later. */
const LATE_TARGET_TIMEOUT_MS = 10 * 60_000;
/** Slack between the suite's own deadlines and vitest's, so the suite's clearer message wins. */
const SLACK_MS = 10_000;

interface Launched {
  readonly request: LaunchRequest;
  readonly id: string;
}

/**
 * Registers the conformance tests (vitest describe/it) for one connector. Call it at the top level
 * of a test file. Pass the target directly, or a function that prepares it (start a simulator and
 * return its URL); the function runs once in the suite's `beforeAll`.
 */
export function describeConformance(
  name: string,
  target: ConformanceTarget | (() => Promise<ConformanceTarget>),
): void {
  const run = new ConformanceRun(target, randomUUID());
  const known = typeof target === 'function' ? undefined : target;
  const baseTimeout = known ? (known.timeoutMs ?? DEFAULT_TIMEOUT_MS) : LATE_TARGET_TIMEOUT_MS;
  /** A check whose own deadline is `budget` × timeoutMs; vitest's timeout is only a backstop. */
  const check = (title: string, budget: number, body: (t: ResolvedTarget) => Promise<void> | void): void => {
    it(title, { timeout: budget * baseTimeout + SLACK_MS }, async () => {
      const t = run.requireTarget();
      try {
        await within(
          budget * t.timeoutMs,
          `The check "${title}"`,
          Promise.resolve().then(() => body(t)),
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

  let launchAttempted = false;
  let launchError: unknown;
  let launched: Launched | undefined;
  let running: Vm | undefined;
  let runningError: unknown;
  let catalog: Promise<{ images: Image[]; sizes: Size[]; zones: Zone[] }> | undefined;

  const wait = (
    t: ResolvedTarget,
    ids: readonly string[],
    state: VmState,
    options: CallOptions = {},
  ): Promise<Vm[]> =>
    waitFor(run.requireSession(), ids, state, {
      timeout: t.timeoutMs,
      interval: t.pollIntervalMs,
      maxInterval: t.pollIntervalMs,
      signal: options.signal,
    });
  const waitOrExplain = async (t: ResolvedTarget, id: string, state: VmState, after: string): Promise<Vm> => {
    try {
      const [vm] = await wait(t, [id], state);
      if (!vm) throw new Error('waitFor returned nothing');
      return vm;
    } catch (error) {
      throw new Error(
        `After ${after}, VM ${id} did not reach "${state}" within ${t.timeoutMs} ms: ${explain(error)}. Check that describe reports the VM and that the state table maps the cloud's state to "${state}" (or raise timeoutMs).`,
        { cause: error },
      );
    }
  };
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
  const listCatalog = (session: Session): Promise<{ images: Image[]; sizes: Size[]; zones: Zone[] }> => {
    catalog ??= Promise.all([session.listImages(), session.listSizes(), session.listZones()]).then(
      ([images, sizes, zones]) => ({ images: [...images], sizes: [...sizes], zones: [...zones] }),
    );
    return catalog;
  };
  const launchRequest = async (t: ResolvedTarget, session: Session): Promise<LaunchRequest> => {
    const { capabilities } = t.definition;
    let { image, size, zone } = t.launch;
    if (image === undefined || size === undefined || (zone === undefined && capabilities.zones)) {
      let listed: Awaited<ReturnType<typeof listCatalog>>;
      try {
        listed = await listCatalog(session);
      } catch (error) {
        throw new Error(
          `Could not choose what to launch: listing images, sizes or zones failed: ${explain(error)}`,
          {
            cause: error,
          },
        );
      }
      if (capabilities.zones) zone ??= listed.zones[0]?.id;
      image ??= (listed.images.find((i) => i.zone === undefined || i.zone === zone) ?? listed.images[0])?.id;
      size ??= listed.sizes[0]?.id;
      if (image === undefined || size === undefined || (capabilities.zones && zone === undefined)) {
        throw new Error(
          'Could not choose what to launch: the test cloud lists no image, size or zone. Make it offer one, or set target.launch.',
        );
      }
    }
    const suffix = randomBytes(4).toString('hex');
    return {
      name: `conformance-${suffix}`,
      image,
      size,
      ...(zone === undefined ? {} : { zone }),
      idempotencyKey: randomUUID(),
      ...(capabilities.tags ? { tags: { conformance: 'true', 'conformance-run': suffix } } : {}),
      ...(capabilities.sshKeys ? { sshPublicKey: conformanceSshPublicKey() } : {}),
      ...(capabilities.userData ? { userData: '#!/bin/sh\necho "slipstream connector conformance"\n' } : {}),
    };
  };

  describe(`${name} connector conformance`, {
    sequential: true,
    concurrent: false,
    shuffle: false,
    retry: 0,
  }, () => {
    beforeAll(() => run.setup(), SETUP_TIMEOUT_MS + 2 * baseTimeout + SLACK_MS);
    afterAll(() => run.cleanup(), 2 * baseTimeout + SLACK_MS);

    describe('definition', () => {
      check('passes checkDefinition (the loader refuses a definition that does not)', 1, ({ definition }) => {
        assertNoProblems(
          checkDefinition(definition),
          'checkDefinition reports problems with the definition:',
        );
      });

      check('marks every secret credential as secret', 1, ({ definition }) => {
        assertNoProblems(
          secretMarkingProblems(definition),
          'Credential specs that hold secrets must be marked secret:',
        );
      });

      check('declares its specs, capabilities and states as plain JSON data', 1, ({ definition }) => {
        assertNoProblems(
          plainDataProblems(definition),
          "The definition's data must survive JSON.parse(JSON.stringify(...)) unchanged (the server sends it to browsers and stores it):",
        );
        for (const key of ['parameters', 'credentials', 'capabilities', 'states'] as const) {
          expect(
            JSON.parse(JSON.stringify(definition[key])),
            `definition.${key} changes through JSON`,
          ).toEqual(definition[key]);
        }
      });

      check(`implements contract ${CONTRACT_VERSION} (core's CONTRACT_VERSION)`, 1, ({ definition }) => {
        if (definition.contract !== CONTRACT_VERSION) {
          throw new Error(
            `definition.contract is ${JSON.stringify(definition.contract)}, but this core implements contract ${CONTRACT_VERSION}; the loader refuses other majors (CONTRACT_MISMATCH).`,
          );
        }
      });

      check('maps native states only to normalized states', 1, ({ definition }) => {
        assertNoProblems(stateTableProblems(definition.states), 'The states table is invalid:');
      });
    });

    describe('instance parameters', () => {
      check(
        'reports every missing required parameter at once (CONFIG_INVALID)',
        1,
        async ({ definition }) => {
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
          const error = await run.expectFailure(
            'createInstance with no parameters',
            'CONFIG_INVALID',
            create,
          );
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
        },
      );

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

    describe('credentials', () => {
      check(
        'reports every missing required credential at once (CREDENTIALS_INVALID)',
        1,
        async ({ definition }) => {
          const instance = run.requireInstance();
          const required = definition.credentials
            .filter((c) => c.required && c.default === undefined)
            .map((c) => c.key);
          if (required.length === 0) return; // Nothing to report: the connector needs no credential.
          const error = await run.expectFailure('session({})', 'CREDENTIALS_INVALID', () =>
            instance.session({}),
          );
          const missing = required.filter((key) => !error.problems.some((p) => p.key === key));
          if (missing.length > 0) {
            throw new Error(
              `CREDENTIALS_INVALID must list every missing required credential; it does not list ${missing.join(', ')}. Mark them required in the credential specs.`,
            );
          }
        },
      );

      check('reports an unknown credential key (CREDENTIALS_INVALID)', 1, async (t) => {
        const instance = run.requireInstance();
        const error = await run.expectFailure(
          'session with an unknown credential',
          'CREDENTIALS_INVALID',
          () => instance.session({ ...t.credentials, [UNKNOWN_KEY]: 'x' }),
        );
        if (!error.problems.some((p) => p.key === UNKNOWN_KEY)) {
          throw new Error(`CREDENTIALS_INVALID does not report the unknown credential "${UNKNOWN_KEY}".`);
        }
      });

      check('accepts the good credentials (checkCredentials resolves)', 1, async () => {
        const session = run.requireSession();
        try {
          await session.checkCredentials();
        } catch (error) {
          throw new Error(
            `checkCredentials failed with the target's good credentials: ${explain(error)}. It must resolve when the cloud accepts them.`,
            { cause: error },
          );
        }
      });

      check('rejects bad credentials with AUTH_FAILED', 1, async (t) => {
        const instance = run.requireInstance();
        const hint =
          'With credentials the cloud rejects, opening a session or checkCredentials must fail AUTH_FAILED: call the cloud (a cheap authenticated request) and map 401/403-style answers to AUTH_FAILED. If the test cloud accepts any credentials, give the target badCredentials it rejects.';
        let session: Session;
        try {
          const opened = await instance.session(t.badCredentials);
          run.closeLater('the bad-credentials session', () => opened.close?.());
          session = run.recording(opened, 'bad-credentials session');
        } catch (error) {
          run.record('opening a session with bad credentials', error);
          if (ConnectorError.hasCode(error, 'AUTH_FAILED')) return;
          throw new Error(
            `Opening a session with bad credentials failed ${explain(error)}, not AUTH_FAILED. ${hint}`,
            {
              cause: error,
            },
          );
        }
        await run.expectFailure(
          'checkCredentials with bad credentials',
          'AUTH_FAILED',
          () => session.checkCredentials(),
          hint,
        );
        await run.expectFailure(
          'describe() with bad credentials',
          'AUTH_FAILED',
          () => session.describe(),
          "A user's VMs must never be listed for credentials the cloud rejects.",
        );
      });
    });

    describe('catalog', () => {
      check('lists images: a non-empty array of { id, name }', 1, async () => {
        const images = await run.requireSession().listImages();
        assertNoProblems(catalogProblems(images, 'listImages()', true), 'listImages() is wrong:');
      });

      check('lists sizes: a non-empty array of { id, name }', 1, async () => {
        const sizes = await run.requireSession().listSizes();
        assertNoProblems(catalogProblems(sizes, 'listSizes()', true), 'listSizes() is wrong:');
      });

      check(
        'lists zones: an array of { id, name }, non-empty when capabilities.zones',
        1,
        async ({ definition }) => {
          const zones = await run.requireSession().listZones();
          const problems = catalogProblems(zones, 'listZones()', definition.capabilities.zones);
          assertNoProblems(problems, 'listZones() is wrong:');
        },
      );
    });

    describe('VM lifecycle', () => {
      check('launches one VM that reaches running with what was asked for', 3, async (t) => {
        const session = run.requireSession();
        launchAttempted = true;
        let request: LaunchRequest;
        try {
          request = await launchRequest(t, session);
          const vms = await session.launch(request);
          for (const vm of Array.isArray(vms) ? vms : []) {
            if (typeof vm?.id === 'string' && vm.id !== '') run.launched.add(vm.id);
          }
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
          running = await waitOrExplain(t, launched.id, 'running', 'launch');
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

      check('a launch retried with the same idempotency key returns the same VM', 1, async () => {
        const { id, request } = requireLaunched();
        const session = run.requireSession();
        const again = await session.launch(request);
        for (const vm of again) run.launched.add(vm.id);
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
            const stopped = await waitOrExplain(t, id, 'stopped', 'stop');
            if (stopped.rawState === '') throw new Error(`The stopped VM ${id} has an empty rawState.`);
            await session.start([id]);
            running = await waitOrExplain(t, id, 'running', 'start');
          } catch (error) {
            runningError = error;
            throw error;
          }
        },
      );

      check('aborting a waitFor mid-wait rejects ABORTED', 2, async (t) => {
        const { id } = requireRunning();
        const controller = new AbortController();
        // Wait for a state the running VM will not reach by itself, and abort after a poll or so,
        // landing in describe or in the pause between polls. No custom reason: a connector that
        // rethrows signal.reason (as fetch does) must see a standard AbortError, which core maps.
        const timer = setTimeout(() => controller.abort(), t.pollIntervalMs * 1.5);
        try {
          await run.expectFailure(
            `waitFor(["${id}"], 'stopped') aborted mid-wait`,
            'ABORTED',
            () => wait(t, [id], 'stopped', { signal: controller.signal }),
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
        await waitOrExplain(t, id, 'terminated', 'terminate');
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

    describe('unknown VM ids', () => {
      check(
        'describe({ ids: [unknown] }) returns [] (unknown ids are left out, not errors)',
        1,
        async (t) => {
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
        },
      );

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

    describe('abort', () => {
      check('every session call given an already aborted signal rejects ABORTED', 1, async (t) => {
        const session = run.requireSession();
        const unknown = [t.unknownVmId];
        // Placeholder ids: if the signal were ignored, nothing real is created or terminated.
        const request: LaunchRequest = {
          name: `conformance-aborted-${randomBytes(4).toString('hex')}`,
          image: 'conformance-no-such-image',
          size: 'conformance-no-such-size',
          idempotencyKey: randomUUID(),
        };
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
        assertNoProblems(
          problems,
          'Every session call must reject ABORTED when its signal has already fired:',
        );
      });
    });

    check('never shows a secret in an error or a log (run last)', 1, (t) => {
      const secrets = secretsOf(t.definition, t);
      const values = secrets.map((secret) => secret.value);
      const problems: string[] = [];
      for (const { what, error } of run.errors) {
        for (const leak of findSecretLeaks(error, values)) {
          const code = ConnectorError.is(error)
            ? error.code
            : error instanceof Error
              ? error.name
              : typeof error;
          problems.push(
            `the value of ${secrets[leak.index]?.label} (${leak.hint}) appears${leak.form === 'verbatim' ? '' : ' percent-encoded'} in ${leak.where} of the ${code} error from ${what}`,
          );
        }
      }
      run.logs.forEach((entry, i) => {
        for (const leak of findSecretLeaks({ message: entry.message, fields: entry.fields }, values)) {
          if (leak.where === 'stack') continue;
          problems.push(
            `the value of ${secrets[leak.index]?.label} (${leak.hint}) appears in log entry ${i} (${entry.level} "${entry.message ?? ''}")`,
          );
        }
      });
      assertNoProblems(
        [...new Set(problems)],
        `Secrets must never appear in errors (message, stack, cause chain, problems) or logs. Build error messages from what you know, not from request URLs, headers or bodies that hold credentials. ${run.errors.length} errors and ${run.logs.length} log entries were checked:`,
      );
      if (run.errors.length === 0)
        throw new Error('The suite collected no errors to check; the earlier checks did not run.');
    });
  });
}
