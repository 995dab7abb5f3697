import { tsupBase } from '@slipstream/tooling-config/tsup';
import { defineConfig } from 'tsup';

export default defineConfig({ ...tsupBase, entry: ['src/index.ts'] });
