// NodePorts: a hostPort can be taken once per (IP, protocol, port); 0.0.0.0 clashes with every IP.
import { unschedulable, type FilterPlugin } from '../framework.js';
import { podHostPorts, type HostPort } from '../node-info.js';

/** HostPortInfo.CheckConflict */
export function portConflict(used: HostPort[], want: HostPort): boolean {
  return used.some((u) => u.protocol === want.protocol && u.port === want.port && (want.ip === '0.0.0.0' || u.ip === '0.0.0.0' || u.ip === want.ip));
}

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod, node) {
    const conflict = podHostPorts(pod).some((p) => portConflict(node.usedPorts, p));
    return conflict ? unschedulable(this.name, "node(s) didn't have free ports for the requested pod ports") : undefined;
  },
};
