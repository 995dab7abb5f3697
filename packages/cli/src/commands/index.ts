import type { Command } from '../command.js';
import { adminResetPassword } from './admin-reset-password.js';
import { configCheck } from './config-check.js';
import { configSet } from './config-set.js';
import { connectorsAdd, connectorsRemove } from './connectors-install.js';
import { connectorsList } from './connectors-list.js';
import { connectorsSearch } from './connectors-search.js';
import { demoCommand } from './demo.js';
import { server } from './server.js';

export { adminResetPassword } from './admin-reset-password.js';
export { configCheck } from './config-check.js';
export { configSet } from './config-set.js';
export { connectorsAdd, connectorsRemove } from './connectors-install.js';
export { connectorsList } from './connectors-list.js';
export { connectorsSearch } from './connectors-search.js';
export { createDemoCommand, demoCommand } from './demo.js';
export { server } from './server.js';

/** Every command `slipstream` dispatches to, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  connectorsSearch,
  connectorsList,
  connectorsAdd,
  connectorsRemove,
  configCheck,
  configSet,
  server,
  adminResetPassword,
  demoCommand,
];
