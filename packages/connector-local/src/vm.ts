import { mapState, type Vm } from '@slipstream/connector-core';
import type { LocalVm } from './cloud.js';
import { LOCAL_STATES } from './states.js';

/** The contract's VM model from the local cloud's: native state kept as `rawState`, ISO times. */
export function toVm(vm: LocalVm): Vm {
  return {
    id: vm.id,
    name: vm.name,
    state: mapState(LOCAL_STATES, vm.state),
    rawState: vm.state,
    publicIps: vm.publicIps,
    privateIps: vm.privateIps,
    image: vm.image,
    size: vm.size,
    zone: vm.zone,
    createdAt: new Date(vm.createdAt).toISOString(),
    tags: vm.tags,
  };
}
