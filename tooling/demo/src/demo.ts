import { runDemo } from './run-demo.js';

// `pnpm demo`: two instances of the local connector, as the source document's example configures
// two CloudStack instances. The list can be changed with SLIPSTREAM_CONNECTORS.
const connectors = process.env.SLIPSTREAM_CONNECTORS ?? 'local,lab2:local';
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

const result = await runDemo({
  connectors,
  // Resolve connectors from this program's own installation, never from the working directory.
  from: import.meta.url,
  credentials: () => ({ key: 'demo', secret: 'demo-secret' }),
  write: (line) => process.stdout.write(`${line}\n`),
  signal: controller.signal,
});
process.exitCode = result.failures.length === 0 ? 0 : 1;
