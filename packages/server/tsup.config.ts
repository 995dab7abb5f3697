import { tsupBase } from '@slipstream/tooling-config/tsup';
import { defineConfig } from 'tsup';
import {
  SCRIPT_BUNDLE,
  SCRIPT_ENTRY,
  SCRIPT_FORMAT,
  SCRIPT_TARGET,
  SCRIPT_TSCONFIG,
} from './src/pages/script-bundle.js';

export default defineConfig([
  // tsup builds the two configurations at once: the server's clean must leave the other's output be.
  { ...tsupBase, entry: ['src/index.ts', 'src/cli.ts'], clean: [`!${SCRIPT_BUNDLE}`] },
  {
    // The pages' script, for browsers; the server reads it from dist at startup (pages/page-script.ts).
    entry: { [SCRIPT_BUNDLE.replace(/\.js$/, '')]: SCRIPT_ENTRY },
    outDir: 'dist',
    outExtension: () => ({ js: '.js' }),
    format: [SCRIPT_FORMAT],
    platform: 'browser',
    target: SCRIPT_TARGET,
    tsconfig: SCRIPT_TSCONFIG,
    dts: false,
    sourcemap: false,
    clean: false,
    splitting: false,
  },
]);
