import { randomUUID } from 'node:crypto';
import {
  ConnectorError,
  type ConnectorRegistry,
  loadConnectors,
  type Session,
  type Vm,
  waitFor,
} from '@slipstream/connector-core';

export interface DemoOptions {
  /** The connector list, as an administrator would configure it. */
  readonly connectors: string;
  /** Where the connector packages are installed. */
  readonly from: string | URL;
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** One user's credentials per instance. */
  readonly credentials: (instance: string) => Readonly<Record<string, string>>;
  /** Where the progress lines go. */
  readonly write: (line: string) => void;
  /** waitFor's first poll interval; the local cloud needs no more than a fraction of a second. */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface DemoResult {
  /** Per instance, the normalized states its VM went through, in order. */
  readonly states: Readonly<Record<string, readonly string[]>>;
  readonly failures: readonly string[];
}

/**
 * The quick-start job: load the connector list through the loader, then on every instance launch
 * a VM, watch it reach running, terminate it and watch it go. Instances run side by side, as the
 * server runs them; each state change is printed as it is seen.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  const { write } = options;

  write(`Loading connectors "${options.connectors}"`);
  const registry = await loadConnectors(options.connectors, {
    from: options.from,
    parameters: options.parameters,
  });
  for (const info of registry.instances) {
    write(
      `  ✓ ${info.name.padEnd(10)} ${info.cloud} — ${info.package}@${info.version} (${info.license}, ${info.openSource ? 'open-source' : 'proprietary'})`,
    );
  }
  for (const problem of registry.problems) write(`  ✗ ${problem.code}: ${problem.message}`);

  const states: Record<string, string[]> = {};
  const failures: string[] = [...registry.problems.map((p) => p.message)];
  try {
    await Promise.all(
      registry.instances.map(async ({ name }) => {
        const seen: string[] = [];
        states[name] = seen;
        const log = (message: string): void => write(`${elapsed()} [${name}] ${message}`);
        try {
          await lifecycle(registry, name, options, seen, log);
        } catch (error) {
          const message = ConnectorError.is(error) ? `${error.code}: ${error.message}` : String(error);
          failures.push(`${name}: ${message}`);
          log(`failed — ${message}`);
        }
      }),
    );
  } finally {
    await registry.close();
  }
  write(
    failures.length === 0
      ? `Done in ${elapsed().trim()}: every instance launched, ran and terminated a VM.`
      : `Finished with ${failures.length} problem(s).`,
  );
  return { states, failures };
}

async function lifecycle(
  registry: ConnectorRegistry,
  name: string,
  options: DemoOptions,
  seen: string[],
  log: (message: string) => void,
): Promise<void> {
  const signal = options.signal;
  const loaded = registry.instance(name);
  const session: Session = await loaded.session(options.credentials(name));
  try {
    await session.checkCredentials({ signal });
    const [images, sizes] = await Promise.all([
      session.listImages({ signal }),
      session.listSizes({ signal }),
    ]);
    const image = images[0];
    const size = sizes[0];
    if (!image || !size) throw new Error('the cloud lists no images or no sizes');
    log(`launching "demo-${name}" from ${image.name} on ${size.name}`);
    const [vm] = await session.launch(
      {
        name: `demo-${name}`,
        image: image.id,
        size: size.id,
        idempotencyKey: randomUUID(),
        // Only where the cloud keeps tags: OpenNebula's VMs have none, and core refuses them there.
        ...(loaded.definition.capabilities.tags ? { tags: { demo: 'true' } } : {}),
      },
      { signal },
    );
    if (!vm) throw new Error('launch returned no VM');

    let last = '';
    const track = (vms: readonly Vm[]): void => {
      const current = vms[0];
      if (!current || `${current.state}/${current.rawState}` === last) return;
      last = `${current.state}/${current.rawState}`;
      seen.push(current.state);
      const addresses = [...current.publicIps, ...current.privateIps].join(', ');
      log(
        `${current.id} ${current.state.padEnd(11)} (${current.rawState || 'gone'})${current.state === 'running' && addresses ? ` at ${addresses}` : ''}`,
      );
    };
    track([vm]);
    const interval = options.pollIntervalMs ?? 250;
    await waitFor(session, [vm.id], 'running', {
      signal,
      interval,
      maxInterval: interval,
      timeout: 60_000,
      onPoll: track,
    });
    log(`terminating ${vm.id}`);
    await session.terminate([vm.id], { signal });
    await waitFor(session, [vm.id], 'terminated', {
      signal,
      interval,
      maxInterval: interval,
      timeout: 60_000,
      onPoll: track,
    });
  } finally {
    await session.close?.();
  }
}
