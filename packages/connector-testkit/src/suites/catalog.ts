import { assertNoProblems } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';
import { catalogProblems } from '../vm-checks.js';

/** The catalog: images and sizes listed, zones too when the connector has zones. */
export function registerCatalog(source: TargetSource<ConformanceTarget>): void {
  registerSuite('catalog', source, 'session', ({ run, check }) => {
    check('lists images: a non-empty array of { id, name }', 1, async () => {
      const images = await run.requireSession().listImages();
      assertNoProblems(catalogProblems(images, 'listImages()', true), 'listImages() is wrong:');
    });

    check('lists sizes: a non-empty array of { id, name }', 1, async () => {
      const sizes = await run.requireSession().listSizes();
      assertNoProblems(catalogProblems(sizes, 'listSizes()', true), 'listSizes() is wrong:');
    });

    check(
      'lists zones: an array of { id, name }, non-empty when capabilities.zones',
      1,
      async ({ definition }) => {
        const zones = await run.requireSession().listZones();
        assertNoProblems(
          catalogProblems(zones, 'listZones()', definition.capabilities.zones),
          'listZones() is wrong:',
        );
      },
    );
  });
}

/** Registers only the catalog checks; see {@link describeDefinition} for the target. */
export function describeCatalog(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerCatalog(target));
}
