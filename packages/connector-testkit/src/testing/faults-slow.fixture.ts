// Run only by faults-broken.test.ts, in a child vitest, in a file of its own because the broken
// connector waits out the whole hang that the TIMEOUT check injects.
import { describeFaults } from '../index.js';
import { fakeFaultTarget } from './fault-target.js';

describeFaults('ignoreTimeout', fakeFaultTarget(['ignoreTimeout']));
