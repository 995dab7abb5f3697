import type { ActionHandler } from './context.js';
import { Ec2Error } from './errors.js';
import { applyFilters, filtersOf } from './params.js';
import { itemSet } from './xml.js';

/**
 * DescribeAddresses: the account's Elastic IP addresses. The simulator allocates none (an
 * instance's automatic public address is not an Elastic IP and is not listed here, as on EC2), so
 * the answer is an empty `<addressesSet/>`; naming an address or allocation fails as EC2 fails for
 * one the account does not hold, and filters are checked against EC2's filter names. Clients such
 * as Apache Libcloud ask it on every node listing.
 */

const FILTERS = [
  'allocation-id',
  'association-id',
  'domain',
  'instance-id',
  'network-border-group',
  'network-interface-id',
  'network-interface-owner-id',
  'private-ip-address',
  'public-ip',
  'tag:',
  'tag-key',
];

export const describeAddresses: ActionHandler = ({ params }) => {
  const [publicIp] = params.list('PublicIp');
  if (publicIp !== undefined)
    throw new Ec2Error('InvalidAddress.NotFound', `Address '${publicIp}' not found.`);
  const [allocationId] = params.list('AllocationId');
  if (allocationId !== undefined) {
    throw new Ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${allocationId}' does not exist`);
  }
  const addresses = applyFilters([], filtersOf(params), FILTERS, () => []);
  return { addressesSet: itemSet(addresses) };
};
