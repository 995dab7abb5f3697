import { tsupBase } from '@slipstream/tooling-config/tsup';
import { defineConfig } from 'tsup';

// One entry per cloud besides the framework and the command; splitting keeps one copy of the
// shared model and server, so that every entry's classes are the same ones.
export default defineConfig({
  ...tsupBase,
  entry: [
    'src/index.ts',
    'src/cli.ts',
    'src/cloudstack.ts',
    'src/exoscale.ts',
    'src/openstack.ts',
    'src/otc.ts',
    'src/ec2.ts',
    'src/opennebula.ts',
    'src/vcloud.ts',
  ],
  splitting: true,
});
