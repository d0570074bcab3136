// EndpointSlice (discovery.k8s.io/v1): printEndpointSlice, formatDiscoveryPorts and
// formatDiscoveryEndpoints of kubernetes/pkg/printers/internalversion/printers.go.
import type { KubeObject } from '@minik/api';
import { AGE, NAME, ageOf, col, nameOf, printer } from './helpers.js';

/** discoveryv1.EndpointSlice{}.SwaggerDoc(), as kubernetes-types 1.30 carries it. */
const DOC = {
  addressType:
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  ports:
    'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  endpoints: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
};

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: { addresses?: string[] | null }[] | null;
  ports?: { name?: string | null; port?: number | null }[] | null;
}

const MAX = 3;

/** listWithMoreString: `a,b,c + N more...`, `<unset>` for nothing. */
function listWithMore(list: string[], more: boolean, count: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - MAX} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** formatDiscoveryPorts: port numbers (a port without one shows its name, or `*`). */
export function formatDiscoveryPorts(ports: EndpointSlice['ports']): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const port of ports ?? []) {
    if (list.length < MAX) {
      let portNum = '*';
      if (port.port !== undefined && port.port !== null) portNum = String(port.port);
      else if (port.name !== undefined && port.name !== null) portNum = port.name;
      list.push(portNum);
    } else if (list.length === MAX) more = true;
    count++;
  }
  return listWithMore(list, more, count);
}

/** formatDiscoveryEndpoints: every address of every endpoint, ready or not. */
export function formatDiscoveryEndpoints(endpoints: EndpointSlice['endpoints']): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of endpoints ?? []) {
    for (const address of ep.addresses ?? []) {
      if (list.length < MAX) list.push(address);
      else if (list.length === MAX) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count);
}

const columns = [NAME, col('AddressType', 'string', DOC.addressType), col('Ports', 'string', DOC.ports), col('Endpoints', 'string', DOC.endpoints), AGE];

export const endpointSlicePrinter = printer<EndpointSlice>(columns, (s, now) => [
  nameOf(s),
  s.addressType ?? '',
  formatDiscoveryPorts(s.ports),
  formatDiscoveryEndpoints(s.endpoints),
  ageOf(s, now),
]);
