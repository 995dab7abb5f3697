import { isIP } from 'node:net';
import type { Capabilities, LaunchRequest, Vm } from '@slipstream/connector-core';

/**
 * What is wrong with a list from listImages, listSizes or listZones: it must be an array of
 * `{ id: string, name: string }` (ids non-empty), and non-empty when `nonEmpty`.
 */
export function catalogProblems(items: unknown, what: string, nonEmpty: boolean): string[] {
  if (!Array.isArray(items)) return [`${what} must resolve to an array, got ${describeValue(items)}`];
  const problems: string[] = [];
  if (nonEmpty && items.length === 0) {
    problems.push(`${what} returned no items; the test cloud must offer at least one (launch needs it)`);
  }
  items.forEach((item: unknown, i) => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof entry.id !== 'string' || entry.id === '') {
      problems.push(`${what}[${i}].id must be a non-empty string, got ${describeValue(entry.id)}`);
    }
    if (typeof entry.name !== 'string')
      problems.push(`${what}[${i}].name must be a string, got ${describeValue(entry.name)}`);
  });
  return problems;
}

/**
 * What is wrong with a launched VM once it is running, compared with the request that made it.
 * Optional fields (image, size, zone, createdAt) are only compared when the VM reports them.
 */
export function runningVmProblems(
  vm: Vm,
  request: LaunchRequest,
  capabilities: Pick<Capabilities, 'tags' | 'zones'>,
): string[] {
  const problems: string[] = [];
  const at = `VM ${vm.id}`;
  if (vm.state !== 'running') problems.push(`${at} has state "${vm.state}", expected "running"`);
  if (typeof vm.rawState !== 'string' || vm.rawState === '') {
    problems.push(
      `${at} has an empty rawState: keep the cloud's own state string next to the normalized one`,
    );
  }
  const addresses = [...vm.publicIps, ...vm.privateIps];
  if (addresses.length === 0) {
    problems.push(
      `${at} is running but has no address: fill publicIps and/or privateIps from the cloud's answer`,
    );
  }
  for (const [field, ips] of [
    ['publicIps', vm.publicIps],
    ['privateIps', vm.privateIps],
  ] as const) {
    ips.forEach((ip, i) => {
      if (typeof ip !== 'string' || isIP(ip) === 0) {
        problems.push(`${at} ${field}[${i}] is ${describeValue(ip)}, not an IP address`);
      }
    });
  }
  if (vm.name !== request.name)
    problems.push(`${at} is named "${vm.name}", but launch asked for "${request.name}"`);
  if (vm.image !== undefined && vm.image !== request.image) {
    problems.push(
      `${at} reports image "${vm.image}", but launch asked for "${request.image}" (report the image id)`,
    );
  }
  if (vm.size !== undefined && vm.size !== request.size) {
    problems.push(
      `${at} reports size "${vm.size}", but launch asked for "${request.size}" (report the size id)`,
    );
  }
  if (capabilities.zones && request.zone !== undefined && vm.zone !== undefined && vm.zone !== request.zone) {
    problems.push(
      `${at} reports zone "${vm.zone}", but launch asked for "${request.zone}" (report the zone id)`,
    );
  }
  if (vm.createdAt !== undefined && Number.isNaN(Date.parse(vm.createdAt))) {
    problems.push(`${at} has createdAt ${describeValue(vm.createdAt)}, which is not an ISO 8601 time`);
  }
  if (capabilities.tags) {
    for (const [key, value] of Object.entries(request.tags ?? {})) {
      if (vm.tags[key] !== value) {
        problems.push(
          `${at} tag "${key}" is ${describeValue(vm.tags[key])}, expected "${value}": capabilities.tags promises that describe returns the tags launch stored`,
        );
      }
    }
  }
  return problems;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
