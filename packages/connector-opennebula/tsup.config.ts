import { tsupBase } from '@slipstream/tooling-config/tsup';
import { defineConfig } from 'tsup';

// Two entries sharing one copy of the code (splitting), so that a class from `/extend` is the
// one the default connector uses.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/extend.ts'], splitting: true });
