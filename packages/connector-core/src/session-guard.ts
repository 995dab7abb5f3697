import type { CallOptions, ConnectorDefinition, DescribeQuery, Session, Vm } from './contract.js';
import { ConnectorError, isAbortError, throwIfAborted } from './errors.js';
import { checkIds, checkLaunchRequest } from './launch-request.js';
import { errorText, sanitizeError, scrubConnectorError } from './sanitize.js';
import { raceSignal } from './signals.js';
import { isVmState } from './states.js';

export interface GuardContext {
  readonly definition: Pick<ConnectorDefinition, 'name' | 'cloud' | 'capabilities'>;
  readonly instance: string;
  /** Values scrubbed from every error: the instance's secret parameters and the user's secret credentials. */
  readonly secrets: readonly string[];
}

/**
 * Runs one connector call so that it fails the same way for every connector: as a ConnectorError
 * naming connector and instance, secrets scrubbed, and ABORTED as soon as the caller's signal
 * fires — even when the connector's own code does not listen to the signal.
 */
export async function guarded<T>(
  context: GuardContext,
  what: string,
  run: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  try {
    throwIfAborted(signal, what);
    return await raceSignal(run(), signal, what);
  } catch (error) {
    throw toConnectorError(error, context, what, signal);
  }
}

export function toConnectorError(
  error: unknown,
  context: GuardContext,
  what: string,
  signal?: AbortSignal,
): ConnectorError {
  const connector = context.definition.name;
  const { instance, secrets } = context;
  if (ConnectorError.is(error)) return scrubConnectorError(error, secrets, { connector, instance });
  // Whatever a connector threw after its caller's signal fired (fetch rethrows the signal's own
  // reason, which may be any value) is an abort, not a cloud failure.
  if (isAbortError(error) || signal?.aborted) {
    return new ConnectorError('ABORTED', `${what} on instance "${instance}" was aborted.`, {
      connector,
      instance,
    });
  }
  return new ConnectorError(
    'CLOUD_ERROR',
    `${what} on instance "${instance}" failed unexpectedly: ${errorText(error, secrets)}`,
    { connector, instance, cause: sanitizeError(error, secrets) },
  );
}

/**
 * Wraps a connector's session so that every connector behaves the same at the edges: requests
 * are validated once here, missing optional operations are UNSUPPORTED, results are normalized,
 * and every call goes through {@link guarded}.
 */
export function guardSession(session: Session, context: GuardContext): Session {
  const { capabilities } = context.definition;
  const call = <T>(what: string, options: CallOptions | undefined, run: () => Promise<T>): Promise<T> =>
    guarded(context, what, run, options?.signal);
  const optional = (operation: 'stop' | 'start') => (ids: readonly string[], options?: CallOptions) =>
    call(operation, options, async () => {
      const method = session[operation];
      if (!capabilities.stopStart || !method) {
        throw new ConnectorError(
          'UNSUPPORTED',
          `${context.definition.cloud} (${context.definition.name}) cannot ${operation} VMs; terminate and launch instead.`,
        );
      }
      await method.call(session, checkIds(ids, operation), options);
    });
  return {
    checkCredentials: (options) => call('checkCredentials', options, () => session.checkCredentials(options)),
    listImages: (options) =>
      call('listImages', options, async () => [...(await session.listImages(options))]),
    listSizes: (options) => call('listSizes', options, async () => [...(await session.listSizes(options))]),
    listZones: (options) => call('listZones', options, async () => [...(await session.listZones(options))]),
    launch: (request, options) =>
      call('launch', options, async () => {
        const vms = await session.launch(checkLaunchRequest(request, context.definition), options);
        return vms.map(normalizeVm);
      }),
    describe: (query?: DescribeQuery, options?: CallOptions) =>
      call('describe', options, async () => {
        const ids = query?.ids === undefined ? undefined : checkIds(query.ids, 'describe', true);
        if (ids?.length === 0) return [];
        const vms = await session.describe(ids === undefined ? {} : { ids }, options);
        return vms.map(normalizeVm);
      }),
    terminate: (ids, options) =>
      call('terminate', options, () => session.terminate(checkIds(ids, 'terminate'), options)),
    stop: optional('stop'),
    start: optional('start'),
    close: () => guarded(context, 'close', async () => void (await session.close?.())),
  };
}

/**
 * Enforces the VM model on whatever a connector returns: string ids, known states, arrays and tags
 * present. A VM of that shape, nearly every one, is passed on as it is: connectors return VMs made
 * for the call (the testkit checks it), so there is nothing to copy, and a listing passes thousands
 * of VMs through here. Any other gets a corrected copy.
 */
function normalizeVm(vm: Vm): Vm {
  const { id, name, state, rawState, publicIps, privateIps, tags } = vm;
  if (
    typeof id === 'string' &&
    typeof name === 'string' &&
    isVmState(state) &&
    typeof rawState === 'string' &&
    Array.isArray(publicIps) &&
    Array.isArray(privateIps) &&
    typeof tags === 'object' &&
    tags !== null
  ) {
    return vm;
  }
  return {
    ...vm,
    id: typeof id === 'string' ? id : String(id),
    name: typeof name === 'string' ? name : String(name ?? ''),
    state: isVmState(state) ? state : 'unknown',
    rawState: typeof rawState === 'string' ? rawState : String(rawState ?? ''),
    publicIps: [...(publicIps ?? [])],
    privateIps: [...(privateIps ?? [])],
    tags: { ...(tags ?? {}) },
  };
}
