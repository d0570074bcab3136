// Answers for the cluster domain, as CoreDNS' kubernetes plugin gives them (with `pods insecure`
// and `fallthrough in-addr.arpa ip6.arpa`, as kubeadm's Corefile has it):
//
//   <svc>.<ns>.svc.<zone>                      A/AAAA: the ClusterIP; headless: each ready endpoint
//   <endpoint>.<svc>.<ns>.svc.<zone>           an endpoint by hostname (or its address with dashes)
//   _<port>._<proto>.<svc>.<ns>.svc.<zone>     SRV per named port (target + address in additional)
//   <svc>.<ns>.svc.<zone> of an ExternalName   CNAME (chased in the zone, or upstream by the server)
//   <a-b-c-d>.<ns>.pod.<zone>                  A a.b.c.d (not checked against pods)
//   <reverse of a ClusterIP / endpoint IP>     PTR to the Service's / endpoint's name
//   dns-version.<zone> TXT, <zone> SOA/NS, ns.dns.<zone> A
//
// Anything else in the zone is NXDOMAIN (SERVFAIL before the informers have synced) or NODATA
// (the name exists, the type does not), both with the zone's SOA in the authority section.
// Names outside the zone, and reverse names of addresses the cluster does not know, are left to
// the upstream servers.
import { endpointHostname, type ClusterIndex } from './cluster.js';
import { addressFromReverse, ipFamily, isReverseName } from './ip.js';
import { canonicalName, CLASS, RCODE, TYPE, type Question, type ResourceRecord } from './wire.js';

export const DNS_SCHEMA_VERSION = '1.1.0';

/** Another lookup the server makes upstream for a name outside the zone (an ExternalName's target). */
export interface Chase {
  name: string;
  type: number;
}

export type Resolution =
  | { kind: 'forward' }
  | {
      kind: 'reply';
      rcode: number;
      /** Authoritative (answers from the zone). */
      aa: boolean;
      answers: ResourceRecord[];
      authorities: ResourceRecord[];
      additionals: ResourceRecord[];
      /** Lookups whose answers are appended to `answers` (after a CNAME to outside the zone). */
      chases: Chase[];
    };

export interface ResolverOptions {
  zone?: string;
  ttl?: number;
  /** The server's own addresses: its Service is found through them (for NS and ns.dns.<zone>). */
  localIPs?: () => string[];
}

/** A name-error (NXDOMAIN) result of a lookup, as CoreDNS' errNoItems / errInvalidRequest. */
const NX = Symbol('nxdomain');
type NX = typeof NX;

/** One result of the backend lookup (CoreDNS' msg.Service). */
interface Item {
  /** An IP address, or a name (a CNAME target). */
  host: string;
  /** -1: no port (SRV records are not made from it). */
  port: number;
  /** The name the item has in the zone (SRV targets, PTR and NS names). */
  key: string;
  ttl: number;
  text?: string;
}

interface Request {
  port?: string;
  protocol?: string;
  endpoint?: string;
  service?: string;
  namespace?: string;
  podOrSvc?: string;
}

const stripUnderscore = (s: string) => (s.startsWith('_') ? s.slice(1) : s);
const matchPortAndProtocol = (r: Request, name: string, protocol: string) =>
  (r.port === undefined || r.port === name.toLowerCase()) && (r.protocol === undefined || r.protocol === protocol.toLowerCase());

export class KubeResolver {
  readonly zone: string;
  readonly ttl: number;
  private readonly localIPs: () => string[];

  constructor(
    private readonly cluster: ClusterIndex,
    opts: ResolverOptions = {},
  ) {
    this.zone = canonicalName(opts.zone ?? 'cluster.local');
    this.ttl = opts.ttl ?? 5;
    this.localIPs = opts.localIPs ?? (() => []);
  }

  inZone(name: string): boolean {
    return name === this.zone || name.endsWith(`.${this.zone}`);
  }

  resolve(q: Question): Resolution {
    const name = canonicalName(q.name);
    if (this.inZone(name)) {
      if (q.class !== CLASS.IN && q.class !== CLASS.ANY) return this.reply(RCODE.REFUSED, [], [], false);
      return this.zoneAnswer(q, name);
    }
    if (q.type === TYPE.PTR && isReverseName(name) && (q.class === CLASS.IN || q.class === CLASS.ANY)) {
      const ip = addressFromReverse(name);
      const items = ip ? this.recordsForIP(ip) : [];
      const seen = new Set<string>();
      const answers: ResourceRecord[] = [];
      for (const it of items) {
        if (seen.has(it.host)) continue;
        seen.add(it.host);
        answers.push({ name: q.name, type: TYPE.PTR, class: CLASS.IN, ttl: it.ttl, target: it.host });
      }
      if (answers.length) return this.reply(RCODE.NOERROR, answers, [], true);
    }
    // Outside the zone, or a reverse name the cluster does not know (fallthrough).
    return { kind: 'forward' };
  }

  private reply(rcode: number, answers: ResourceRecord[], additionals: ResourceRecord[], aa: boolean, chases: Chase[] = []): Resolution {
    return { kind: 'reply', rcode, aa, answers, authorities: [], additionals, chases };
  }

  /** The zone's SOA (CoreDNS': TTL and minimum are the record TTL, serial the last change). */
  soa(): ResourceRecord {
    return {
      name: this.zone,
      type: TYPE.SOA,
      class: CLASS.IN,
      ttl: Math.min(this.ttl, 300),
      soa: { mname: `ns.dns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: this.cluster.modified >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }

  private zoneAnswer(q: Question, name: string): Resolution {
    let records: ResourceRecord[] = [];
    let extra: ResourceRecord[] = [];
    let chases: Chase[] = [];
    let err = false;
    const owner = q.name.replace(/\.$/, '');
    switch (q.type) {
      case TYPE.A:
      case TYPE.AAAA: {
        const r = this.address(name, owner, q.type, []);
        if (r === NX) err = true;
        else ({ records, chases } = r);
        break;
      }
      case TYPE.TXT: {
        const items = this.services(name, TYPE.TXT);
        if (items === NX) err = true;
        else records = items.filter((i) => i.text !== undefined).map((i) => ({ name: owner, type: TYPE.TXT, class: CLASS.IN, ttl: i.ttl, texts: [i.text!] }));
        break;
      }
      case TYPE.CNAME: {
        const items = this.services(name, TYPE.CNAME);
        if (items === NX) err = true;
        else if (items.length && !ipFamily(items[0].host)) records = [{ name: owner, type: TYPE.CNAME, class: CLASS.IN, ttl: items[0].ttl, target: items[0].host }];
        break;
      }
      case TYPE.PTR: {
        // A name in the forward zone is not a reverse name: NODATA or NXDOMAIN as for A.
        if (this.records(name) === NX) err = true;
        break;
      }
      case TYPE.MX: {
        // Nothing in the cluster receives mail.
        if (this.services(name, TYPE.MX) === NX) err = true;
        break;
      }
      case TYPE.SRV: {
        const r = this.srv(name, owner);
        if (r === NX) err = true;
        else ({ records, extra } = r);
        break;
      }
      case TYPE.SOA:
        if (name === this.zone) records = [{ ...this.soa(), name: owner }];
        break;
      case TYPE.AXFR:
      case TYPE.IXFR:
        return this.reply(RCODE.REFUSED, [], [], false);
      default:
        if (q.type === TYPE.NS && name === this.zone) {
          ({ records, extra } = this.ns(owner));
          break;
        }
        // Other types (and NS below the apex): NODATA or NXDOMAIN, as the A lookup says.
        if (this.address(name, owner, TYPE.A, []) === NX) err = true;
    }
    if (err) {
      const rcode = this.cluster.synced ? RCODE.NXDOMAIN : RCODE.SERVFAIL;
      return { kind: 'reply', rcode, aa: true, answers: [], authorities: [this.soa()], additionals: [], chases: [] };
    }
    if (!records.length) return { kind: 'reply', rcode: RCODE.NOERROR, aa: true, answers: [], authorities: [this.soa()], additionals: [], chases: [] };
    return { kind: 'reply', rcode: RCODE.NOERROR, aa: true, answers: records, authorities: [], additionals: extra, chases };
  }

  // ---- the lookups (CoreDNS' plugin.A / SRV / NS over Kubernetes.Services) ----

  private address(name: string, owner: string, qtype: number, previous: ResourceRecord[]): { records: ResourceRecord[]; chases: Chase[] } | NX {
    const items = this.services(name, qtype);
    if (items === NX) return NX;
    const records: ResourceRecord[] = [];
    const chases: Chase[] = [];
    const dup = new Set<string>();
    for (const it of items) {
      const family = ipFamily(it.host);
      if (family === 0) {
        const target = canonicalName(it.host);
        if (target === name) continue; // x CNAME x
        if (previous.length > 7) continue;
        const cname: ResourceRecord = { name: owner, type: TYPE.CNAME, class: CLASS.IN, ttl: it.ttl, target: it.host };
        if (previous.some((p) => p.type === TYPE.CNAME && canonicalName(p.name) === name && 'target' in p && canonicalName(p.target) === target)) continue;
        if (this.inZone(target)) {
          const next = this.address(target, it.host, qtype, [...previous, cname]);
          if (next !== NX && next.records.length) {
            records.push(cname, ...next.records);
            chases.push(...next.chases);
          }
          continue;
        }
        records.push(cname);
        chases.push({ name: it.host, type: qtype });
        continue;
      }
      if ((family === 4 && qtype === TYPE.A) || (family === 6 && qtype === TYPE.AAAA)) {
        if (dup.has(it.host)) continue;
        dup.add(it.host);
        records.push({ name: owner, type: qtype, class: CLASS.IN, ttl: it.ttl, address: it.host });
      }
    }
    return { records, chases };
  }

  private srv(name: string, owner: string): { records: ResourceRecord[]; extra: ResourceRecord[] } | NX {
    const items = this.services(name, TYPE.SRV);
    if (items === NX) return NX;
    const records: ResourceRecord[] = [];
    const extra: ResourceRecord[] = [];
    const dup = new Set<string>();
    // Every item has priority 0 and weight 100: each gets 100/n of the weight, as CoreDNS computes it.
    const weight = items.length ? Math.floor((100 / (100 * items.length)) * 100) : 0;
    for (const it of items) {
      if (it.port === -1) continue;
      const family = ipFamily(it.host);
      if (family === 0) continue;
      const srvKey = `${it.key}|${it.port}`;
      if (!dup.has(srvKey)) {
        dup.add(srvKey);
        records.push({ name: owner, type: TYPE.SRV, class: CLASS.IN, ttl: it.ttl, priority: 0, weight, port: it.port, target: it.key });
      }
      const addrKey = `${it.key}|${it.host}`;
      if (!dup.has(addrKey)) {
        dup.add(addrKey);
        extra.push({ name: it.key, type: family === 4 ? TYPE.A : TYPE.AAAA, class: CLASS.IN, ttl: it.ttl, address: it.host });
      }
    }
    return { records, extra };
  }

  private ns(owner: string): { records: ResourceRecord[]; extra: ResourceRecord[] } {
    const records: ResourceRecord[] = [];
    const extra: ResourceRecord[] = [];
    const seen = new Set<string>();
    for (const a of this.nsAddrs()) {
      extra.push({ name: a.name, type: ipFamily(a.ip) === 4 ? TYPE.A : TYPE.AAAA, class: CLASS.IN, ttl: this.ttl, address: a.ip });
      if (seen.has(a.name)) continue;
      seen.add(a.name);
      records.push({ name: owner, type: TYPE.NS, class: CLASS.IN, ttl: this.ttl, target: a.name });
    }
    return { records, extra };
  }

  /** This server's names and addresses: its Service (found from its own endpoint), else its own IPs. */
  private nsAddrs(): { name: string; ip: string }[] {
    const out: { name: string; ip: string }[] = [];
    let found = false;
    const done = new Set<string>();
    for (const ip of this.localIPs()) {
      for (const ep of this.cluster.endpointsForIP(ip)) {
        found = true;
        const k = `${ep.namespace}/${ep.service}`;
        if (done.has(k)) continue;
        done.add(k);
        const svc = this.cluster.service(ep.namespace, ep.service);
        if (!svc) continue;
        const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
        if (svc.headless) {
          for (const s of this.cluster.subsets(svc.namespace, svc.name)) for (const a of s.addresses) out.push({ name: `${endpointHostname(a)}.${svcName}`, ip: a.ip });
        } else for (const cip of svc.clusterIPs) out.push({ name: svcName, ip: cip });
      }
    }
    if (!found) for (const ip of this.localIPs()) out.push({ name: `ns.dns.${this.zone}`, ip });
    return out;
  }

  // ---- the backend (CoreDNS' Kubernetes.Services / Records / findServices / findPods) ----

  private services(name: string, qtype: number): Item[] | NX {
    const base = this.base(name);
    if (qtype === TYPE.TXT) {
      if (base === 'dns-version') return [{ host: '', port: -1, key: name, ttl: 28800, text: DNS_SCHEMA_VERSION }];
      const r = this.records(name);
      // An existing name without TXT is NODATA; anything else NXDOMAIN.
      return r !== NX && r.length ? [] : NX;
    }
    if (qtype === TYPE.NS) return this.nsAddrs().map((a) => ({ host: a.ip, port: -1, key: a.name, ttl: this.ttl }));
    if (base === 'ns.dns') {
      return this.nsAddrs()
        .filter((a) => (ipFamily(a.ip) === 4 ? qtype === TYPE.A : qtype === TYPE.AAAA))
        .map((a) => ({ host: a.ip, port: -1, key: name, ttl: this.ttl }));
    }
    const r = this.records(name);
    // SRV records of ExternalName services are not made (CoreDNS: "not yet implemented").
    if (qtype === TYPE.SRV && r !== NX) return r.filter((i) => ipFamily(i.host) !== 0);
    return r;
  }

  private base(name: string): string {
    return name === this.zone ? '' : name.slice(0, -(this.zone.length + 1));
  }

  private parse(name: string): Request | NX {
    const base = this.base(name);
    const r: Request = {};
    if (base === '' || base === 'svc' || base === 'pod') return r;
    const segs = base.split('.');
    let last = segs.length - 1;
    r.podOrSvc = segs[last];
    if (r.podOrSvc !== 'pod' && r.podOrSvc !== 'svc') return NX;
    if (--last < 0) return r;
    r.namespace = segs[last];
    if (--last < 0) return r;
    r.service = segs[last];
    if (--last < 0) return r;
    if (last === 0) r.endpoint = segs[0];
    else if (last === 1) {
      r.protocol = stripUnderscore(segs[1]);
      r.port = stripUnderscore(segs[0]);
    } else return NX;
    return r;
  }

  private records(name: string): Item[] | NX {
    const r = this.parse(name);
    if (r === NX) return NX;
    if (!r.podOrSvc) return [];
    if (!r.namespace || !this.cluster.namespaceExists(r.namespace)) {
      // `svc.<zone>` itself exists (NODATA, above); `<ns>.svc.<zone>` exists with its namespace.
      return NX;
    }
    return r.podOrSvc === 'pod' ? this.findPods(r) : this.findServices(r);
  }

  private findPods(r: Request): Item[] | NX {
    const podname = r.service;
    if (!podname) return [];
    // The address form is answered for any address, without looking for the pod (`pods insecure`).
    const ip = (podname.split('-').length - 1 === 3 && !podname.includes('--') ? podname.replaceAll('-', '.') : podname.replaceAll('-', ':'));
    if (!ipFamily(ip)) return NX;
    return [{ host: ip, port: -1, key: `${podname}.${r.namespace}.pod.${this.zone}`, ttl: this.ttl }];
  }

  private findServices(r: Request): Item[] | NX {
    const ns = r.namespace!;
    if (!r.service) return [];
    const svc = this.cluster.service(ns, r.service);
    if (!svc) return NX;
    const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
    const items: Item[] = [];
    if (svc.type === 'ExternalName') {
      // External services have no endpoints; a name that is an IP address is not a CNAME target.
      if (r.endpoint || !svc.externalName || ipFamily(svc.externalName)) return NX;
      return [{ host: svc.externalName, port: -1, key: svcName, ttl: this.ttl }];
    }
    if (svc.headless || r.endpoint) {
      for (const s of this.cluster.subsets(ns, svc.name)) {
        for (const a of s.addresses) {
          const host = endpointHostname(a);
          if (r.endpoint && r.endpoint !== host) continue;
          for (const p of s.ports) {
            if (!matchPortAndProtocol(r, p.name, p.protocol)) continue;
            items.push({ host: a.ip, port: p.port, key: `${host}.${svcName}`, ttl: this.ttl });
          }
        }
      }
      return items.length ? items : NX;
    }
    let matched = false;
    for (const p of svc.ports) {
      if (!matchPortAndProtocol(r, p.name, p.protocol)) continue;
      matched = true;
      for (const ip of svc.clusterIPs) items.push({ host: ip, port: p.port, key: svcName, ttl: this.ttl });
    }
    return matched ? items : NX;
  }

  /** PTR targets of an address: the Service whose ClusterIP it is, else the endpoints that have it. */
  private recordsForIP(ip: string): Item[] {
    const svc = this.cluster.serviceForIP(ip);
    if (svc) return [{ host: `${svc.name}.${svc.namespace}.svc.${this.zone}`, port: -1, key: '', ttl: this.ttl }];
    return this.cluster.endpointsForIP(ip).map((e) => ({ host: `${e.hostname}.${e.service}.${e.namespace}.svc.${this.zone}`, port: -1, key: '', ttl: this.ttl }));
  }
}
