import type { Size } from './contract.js';
import { ConnectorError } from './errors.js';

/**
 * Sizes an administrator defines, for clouds without flavours of their own (OpenNebula, vCloud
 * Director): `name=cpus:memoryMiB` pairs separated by commas, e.g. `small=1:2048,large=4:8192`,
 * as SlipStream's connectors for those clouds took them.
 */

export interface InstanceTypeSpec {
  readonly name: string;
  readonly cpus: number;
  /** Memory in MiB. */
  readonly memoryMb: number;
}

const PAIR = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(\d+):(\d+)$/;

/**
 * The sizes of a parameter's value, in the order given. CONFIG_INVALID names the parameter and the
 * pair that is wrong (a malformed pair, a count below 1, a name given twice) and how to write it.
 */
export function parseInstanceTypes(value: string, key = 'instance.types'): InstanceTypeSpec[] {
  const types: InstanceTypeSpec[] = [];
  for (const pair of value.split(',').map((item) => item.trim())) {
    const match = PAIR.exec(pair);
    const cpus = Number(match?.[2]);
    const memoryMb = Number(match?.[3]);
    if (!match || cpus < 1 || memoryMb < 1) {
      throw new ConnectorError(
        'CONFIG_INVALID',
        `Parameter "${key}" has "${pair}", which is not name=CPUs:memoryMiB with both numbers at least 1; write it like small=1:2048.`,
      );
    }
    const name = match[1] as string;
    if (types.some((type) => type.name === name)) {
      throw new ConnectorError(
        'CONFIG_INVALID',
        `Parameter "${key}" names "${name}" twice; give each size one entry.`,
      );
    }
    types.push({ name, cpus, memoryMb });
  }
  return types;
}

/** An instance type as the contract's Size: its name is its id. */
export function instanceTypeSize(type: InstanceTypeSpec): Size {
  return { id: type.name, name: type.name, cpus: type.cpus, memoryMb: type.memoryMb };
}

/** The instance type a launch's `size` names; INVALID_REQUEST lists the ones offered. */
export function findInstanceType(types: readonly InstanceTypeSpec[], size: string): InstanceTypeSpec {
  const type = types.find((candidate) => candidate.name === size);
  if (type) return type;
  throw new ConnectorError(
    'INVALID_REQUEST',
    `Size "${size}" is not one of this instance's instance types: ${types.map((candidate) => candidate.name).join(', ')}.`,
  );
}
