/**
 * For property tests with thousands of runs: the predicate as an async one that lets the event loop
 * turn every `every` runs. A property run synchronously blocks its vitest worker for its whole run;
 * on a loaded machine that outlasts the worker's RPC timeout (60 s) and fails the suite although
 * every check passed.
 */
export function yielding<Args extends unknown[]>(
  predicate: (...args: Args) => void | Promise<void>,
  every = 100,
): (...args: Args) => Promise<void> {
  let runs = 0;
  return async (...args) => {
    runs += 1;
    if (runs % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await predicate(...args);
  };
}
