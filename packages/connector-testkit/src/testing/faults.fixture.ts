// Run only by faults-broken.test.ts, in a child vitest: each suite below runs the fault suite on a
// connector that breaks one rule, and the test checks that exactly the matching check fails.
import { describeFaults } from '../index.js';
import { FAULT_QUIRKS } from './fake-http-connector.js';
import { fakeFaultTarget } from './fault-target.js';

for (const quirk of FAULT_QUIRKS.filter((q) => q !== 'ignoreTimeout')) {
  describeFaults(quirk, fakeFaultTarget([quirk]));
}

describeFaults('targetWithoutControl', async () => {
  const { control: _control, operations: _operations, ...target } = await fakeFaultTarget()();
  return target as never;
});
