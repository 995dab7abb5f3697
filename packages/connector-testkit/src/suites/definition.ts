import { CONTRACT_VERSION, checkDefinition } from '@slipstream/connector-core';
import { expect } from 'vitest';
import { plainDataProblems, secretMarkingProblems, stateTableProblems } from '../definition-checks.js';
import { assertNoProblems } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';

/** The definition's data: what the loader checks, secrets marked, plain JSON, contract, states. */
export function registerDefinition(source: TargetSource<ConformanceTarget>): void {
  // Only the definition is read: these checks run even when no instance can be created.
  registerSuite('definition', source, 'target', ({ check }) => {
    check('passes checkDefinition (the loader refuses a definition that does not)', 1, ({ definition }) => {
      assertNoProblems(checkDefinition(definition), 'checkDefinition reports problems with the definition:');
    });

    check('marks every secret credential as secret', 1, ({ definition }) => {
      assertNoProblems(
        secretMarkingProblems(definition),
        'Credential specs that hold secrets must be marked secret:',
      );
    });

    check('declares its specs, capabilities and states as plain JSON data', 1, ({ definition }) => {
      assertNoProblems(
        plainDataProblems(definition),
        "The definition's data must survive JSON.parse(JSON.stringify(...)) unchanged (the server sends it to browsers and stores it):",
      );
      for (const key of ['parameters', 'credentials', 'capabilities', 'states'] as const) {
        expect(JSON.parse(JSON.stringify(definition[key])), `definition.${key} changes through JSON`).toEqual(
          definition[key],
        );
      }
    });

    check(`implements contract ${CONTRACT_VERSION} (core's CONTRACT_VERSION)`, 1, ({ definition }) => {
      if (definition.contract !== CONTRACT_VERSION) {
        throw new Error(
          `definition.contract is ${JSON.stringify(definition.contract)}, but this core implements contract ${CONTRACT_VERSION}; the loader refuses other majors (CONTRACT_MISMATCH).`,
        );
      }
    });

    check('maps native states only to normalized states', 1, ({ definition }) => {
      assertNoProblems(stateTableProblems(definition.states), 'The states table is invalid:');
    });
  });
}

/**
 * Registers only the definition checks (vitest describe/it). Call it at the top level of a test
 * file; the target, or the function preparing it, is used by this suite alone.
 */
export function describeDefinition(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerDefinition(target));
}
