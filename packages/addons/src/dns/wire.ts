// The DNS message format (RFC 1035 §4, EDNS0 from RFC 6891), written by hand: decoding queries
// and upstream answers, encoding responses with name compression and truncation to a size.
//
// Names are in presentation form without the trailing dot ('' is the root); a label byte that is
// not a printable character (or is '.' or '\') is escaped as \DDD or \. so names round-trip.
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

export const CLASS = { IN: 1, CH: 3, NONE: 254, ANY: 255 } as const;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export const OPCODE_QUERY = 0;

const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE).map(([k, v]) => [v, k]));
const RCODE_NAMES = new Map<number, string>(Object.entries(RCODE).map(([k, v]) => [v, k]));

export function typeName(t: number): string {
  return TYPE_NAMES.get(t) ?? `TYPE${t}`;
}

export function rcodeName(r: number): string {
  return RCODE_NAMES.get(r) ?? `RCODE${r}`;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

interface RRBase {
  name: string;
  class: number;
  ttl: number;
}

export type ResourceRecord = RRBase &
  (
    | { type: typeof TYPE.A | typeof TYPE.AAAA; address: string }
    | { type: typeof TYPE.CNAME | typeof TYPE.NS | typeof TYPE.PTR; target: string }
    | { type: typeof TYPE.SOA; soa: Soa }
    | { type: typeof TYPE.SRV; priority: number; weight: number; port: number; target: string }
    | { type: typeof TYPE.MX; preference: number; exchange: string }
    | { type: typeof TYPE.TXT; texts: string[] }
    /** Any other type (and known ones whose data did not parse): the RDATA as it came. */
    | { type: number; raw: Buffer }
  );

export interface EdnsOption {
  code: number;
  data: Buffer;
}

export interface Edns {
  /** The requestor's UDP payload size (RFC 6891 §6.2.3). */
  udpSize: number;
  version: number;
  /** The DO bit (DNSSEC OK). */
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** The whole response code: the header's 4 bits plus the OPT record's upper 8 bits. */
  rcode: number;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Without the OPT pseudo-record, which is `edns`. */
  additionals: ResourceRecord[];
  edns?: Edns;
}

export class DnsFormatError extends Error {
  constructor(
    message: string,
    /** The message ID when the header could be read (so a FORMERR can be sent back). */
    readonly id?: number,
  ) {
    super(message);
  }
}

/** A message with defaults for everything not given. */
export function message(m: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: 0,
    qr: false,
    opcode: OPCODE_QUERY,
    aa: false,
    tc: false,
    rd: false,
    ra: false,
    ad: false,
    cd: false,
    rcode: 0,
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    ...m,
  };
}

// ---- names ----

function escapeLabel(label: Uint8Array): string {
  let s = '';
  for (const c of label) {
    if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

/** The labels of a name in presentation form (escapes undone); throws on an invalid name. */
export function nameToLabels(name: string): Buffer[] {
  if (name === '' || name === '.') return [];
  const labels: Buffer[] = [];
  let cur: number[] = [];
  const end = name.endsWith('.') && !name.endsWith('\\.') ? name.length - 1 : name.length;
  for (let i = 0; i < end; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 0x5c) {
      const d = name.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(d)) {
        const v = Number(d);
        if (v > 255) throw new Error(`invalid escape in name ${JSON.stringify(name)}`);
        cur.push(v);
        i += 3;
      } else if (i + 1 < end) {
        cur.push(name.charCodeAt(++i) & 0xff);
      } else throw new Error(`invalid escape in name ${JSON.stringify(name)}`);
    } else if (ch === 0x2e) {
      if (cur.length === 0) throw new Error(`empty label in name ${JSON.stringify(name)}`);
      labels.push(Buffer.from(cur));
      cur = [];
    } else if (ch > 0xff) {
      // Non-Latin-1 text: its UTF-8 bytes (IDNs are expected as punycode; this only keeps it lossless).
      cur.push(...Buffer.from(name[i], 'utf8'));
    } else cur.push(ch);
  }
  if (cur.length === 0) throw new Error(`empty label in name ${JSON.stringify(name)}`);
  labels.push(Buffer.from(cur));
  let wire = 1;
  for (const l of labels) {
    if (l.length > 63) throw new Error(`label longer than 63 bytes in ${JSON.stringify(name)}`);
    wire += l.length + 1;
  }
  if (wire > 255) throw new Error(`name longer than 255 bytes: ${JSON.stringify(name)}`);
  return labels;
}

export function labelsToName(labels: Uint8Array[]): string {
  return labels.map(escapeLabel).join('.');
}

/** Lower case (ASCII only, as DNS compares names) without a trailing dot. */
export function canonicalName(name: string): string {
  const n = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  return n.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// ---- decoding ----

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly id?: number,
  ) {}

  fail(what: string): never {
    throw new DnsFormatError(what, this.id);
  }

  need(n: number): void {
    if (this.pos + n > this.buf.length) this.fail('message truncated');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A possibly compressed name starting at the current position. */
  name(): string {
    const labels: Buffer[] = [];
    let pos = this.pos;
    let jumped = false;
    let hops = 0;
    let wire = 1;
    for (;;) {
      if (pos >= this.buf.length) this.fail('name runs past the message');
      const len = this.buf[pos];
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) this.fail('name runs past the message');
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1];
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        // Pointers must go backwards (RFC 1035 §4.1.4 says "prior occurrence"): no loops.
        if (target >= pos || ++hops > 127) this.fail('bad compression pointer');
        pos = target;
        continue;
      }
      if ((len & 0xc0) !== 0) this.fail('unsupported label type');
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) this.fail('label runs past the message');
      wire += len + 1;
      if (wire > 255) this.fail('name longer than 255 bytes');
      labels.push(this.buf.subarray(pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
    return labelsToName(labels);
  }
}

function decodeRecord(r: Reader): ResourceRecord {
  const name = r.name();
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  r.need(rdlen);
  const start = r.pos;
  const end = start + rdlen;
  const base = { name, class: cls, ttl };
  let rr: ResourceRecord;
  try {
    switch (type) {
      case TYPE.A:
        if (rdlen !== 4) r.fail('A record of the wrong length');
        rr = { ...base, type, address: formatIPv4(r.bytes(4)) };
        break;
      case TYPE.AAAA:
        if (rdlen !== 16) r.fail('AAAA record of the wrong length');
        rr = { ...base, type, address: formatIPv6(r.bytes(16)) };
        break;
      case TYPE.CNAME:
      case TYPE.NS:
      case TYPE.PTR:
        rr = { ...base, type, target: r.name() };
        break;
      case TYPE.SOA:
        rr = { ...base, type, soa: { mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() } };
        break;
      case TYPE.SRV:
        rr = { ...base, type, priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
        break;
      case TYPE.MX:
        rr = { ...base, type, preference: r.u16(), exchange: r.name() };
        break;
      case TYPE.TXT: {
        const texts: string[] = [];
        while (r.pos < end) texts.push(r.bytes(r.u8()).toString('utf8'));
        rr = { ...base, type, texts };
        break;
      }
      default:
        rr = { ...base, type, raw: Buffer.from(r.bytes(rdlen)) };
    }
  } catch (e) {
    if (!(e instanceof DnsFormatError)) throw e;
    r.pos = start;
    rr = { ...base, type, raw: Buffer.from(r.bytes(rdlen)) };
  }
  if (r.pos !== end) {
    // Data shorter or longer than RDLENGTH: keep the bytes as they are.
    r.pos = start;
    rr = { ...base, type, raw: Buffer.from(r.bytes(rdlen)) };
  }
  return rr;
}

/** Parses a whole message; throws DnsFormatError (with the ID once the header is read). */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new DnsFormatError('message shorter than its header');
  const id = buf.readUInt16BE(0);
  const r = new Reader(buf, id);
  r.pos = 2;
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  const m = message({
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
  });
  for (let i = 0; i < qd; i++) m.questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  for (let i = 0; i < an; i++) m.answers.push(decodeRecord(r));
  for (let i = 0; i < ns; i++) m.authorities.push(decodeRecord(r));
  for (let i = 0; i < ar; i++) {
    const rr = decodeRecord(r);
    if (rr.type !== TYPE.OPT) {
      m.additionals.push(rr);
      continue;
    }
    if (m.edns) r.fail('more than one OPT record');
    if (rr.name !== '') r.fail('OPT record not owned by the root');
    const data = (rr as { raw: Buffer }).raw;
    const options: EdnsOption[] = [];
    for (let p = 0; p < data.length; ) {
      if (p + 4 > data.length) r.fail('EDNS option truncated');
      const code = data.readUInt16BE(p);
      const len = data.readUInt16BE(p + 2);
      if (p + 4 + len > data.length) r.fail('EDNS option truncated');
      options.push({ code, data: Buffer.from(data.subarray(p + 4, p + 4 + len)) });
      p += 4 + len;
    }
    m.edns = { udpSize: rr.class, version: (rr.ttl >>> 16) & 0xff, dnssecOk: (rr.ttl & 0x8000) !== 0, options };
    m.rcode |= ((rr.ttl >>> 24) & 0xff) << 4;
  }
  return m;
}

// ---- encoding ----

class Writer {
  buf = Buffer.alloc(512);
  len = 0;
  /** Lower-cased name suffix → offset of its first occurrence (for compression pointers). */
  private readonly names = new Map<string, number>();

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.alloc(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  name(name: string, compress: boolean): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labelsToName(labels.slice(i)).replace(/[A-Z]/g, (c) => c.toLowerCase());
      const at = compress ? this.names.get(key) : undefined;
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.len < 0x3fff && !this.names.has(key)) this.names.set(key, this.len);
      this.u8(labels[i].length);
      this.bytes(labels[i]);
    }
    this.u8(0);
  }

  /** Forgets everything written from `mark` on (a record that did not fit). */
  rollback(mark: number): void {
    this.len = mark;
    for (const [k, off] of this.names) if (off >= mark) this.names.delete(k);
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

function encodeRecord(w: Writer, rr: ResourceRecord): void {
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lenAt = w.len;
  w.u16(0);
  const start = w.len;
  if ('raw' in rr) w.bytes(rr.raw);
  else {
    switch (rr.type) {
      case TYPE.A: {
        const b = parseIPv4(rr.address);
        if (!b) throw new Error(`not an IPv4 address: ${rr.address}`);
        w.bytes(b);
        break;
      }
      case TYPE.AAAA: {
        const b = parseIPv6(rr.address);
        if (!b) throw new Error(`not an IPv6 address: ${rr.address}`);
        w.bytes(b);
        break;
      }
      case TYPE.CNAME:
      case TYPE.NS:
      case TYPE.PTR:
        w.name(rr.target, true);
        break;
      case TYPE.SOA:
        w.name(rr.soa.mname, true);
        w.name(rr.soa.rname, true);
        for (const v of [rr.soa.serial, rr.soa.refresh, rr.soa.retry, rr.soa.expire, rr.soa.minimum]) w.u32(v);
        break;
      case TYPE.SRV:
        w.u16(rr.priority);
        w.u16(rr.weight);
        w.u16(rr.port);
        // RFC 2782: the target is not compressed.
        w.name(rr.target, false);
        break;
      case TYPE.MX:
        w.u16(rr.preference);
        w.name(rr.exchange, true);
        break;
      case TYPE.TXT:
        for (const t of rr.texts.length ? rr.texts : ['']) {
          // A character-string holds at most 255 bytes: a longer text becomes several.
          const b = Buffer.from(t, 'utf8');
          let i = 0;
          do {
            const part = b.subarray(i, i + 255);
            w.u8(part.length);
            w.bytes(part);
            i += 255;
          } while (i < b.length);
        }
        break;
    }
  }
  const rdlen = w.len - start;
  w.buf.writeUInt16BE(rdlen, lenAt);
}

function optSize(e: Edns): number {
  return 11 + e.options.reduce((n, o) => n + 4 + o.data.length, 0);
}

/**
 * The message on the wire. Records that would take it past `maxSize` bytes are left out (the rest
 * of the message after them too); leaving out an answer or authority record sets TC, leaving out
 * additional records alone does not (RFC 2181 §9). The OPT record always goes in.
 */
export function encodeMessage(m: DnsMessage, maxSize = 65535): Buffer {
  const w = new Writer();
  w.u16(m.id);
  w.u16(0); // flags, below
  for (let i = 0; i < 4; i++) w.u16(0); // counts, below
  for (const q of m.questions) {
    w.name(q.name, true);
    w.u16(q.type);
    w.u16(q.class);
  }
  const limit = maxSize - (m.edns ? optSize(m.edns) : 0);
  let truncated = false;
  let full = false;
  const counts = [0, 0, 0];
  const sections = [m.answers, m.authorities, m.additionals];
  for (let s = 0; s < 3 && !full; s++) {
    for (const rr of sections[s]) {
      const mark = w.len;
      encodeRecord(w, rr);
      if (w.len > limit) {
        w.rollback(mark);
        full = true;
        if (s < 2) truncated = true;
        break;
      }
      counts[s]++;
    }
  }
  let arcount = counts[2];
  if (m.edns) {
    const e = m.edns;
    w.u8(0); // root
    w.u16(TYPE.OPT);
    w.u16(e.udpSize);
    w.u32((((m.rcode >> 4) & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.dnssecOk ? 0x8000 : 0));
    w.u16(optSize(e) - 11);
    for (const o of e.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.bytes(o.data);
    }
    arcount++;
  }
  const out = w.result();
  const flags =
    (m.qr ? 0x8000 : 0) |
    ((m.opcode & 0xf) << 11) |
    (m.aa ? 0x0400 : 0) |
    (m.tc || truncated ? 0x0200 : 0) |
    (m.rd ? 0x0100 : 0) |
    (m.ra ? 0x0080 : 0) |
    (m.ad ? 0x0020 : 0) |
    (m.cd ? 0x0010 : 0) |
    (m.rcode & 0xf);
  out.writeUInt16BE(flags, 2);
  out.writeUInt16BE(m.questions.length, 4);
  out.writeUInt16BE(counts[0], 6);
  out.writeUInt16BE(counts[1], 8);
  out.writeUInt16BE(arcount, 10);
  return out;
}

/** A query for one name (what a stub resolver sends). */
export function encodeQuery(id: number, name: string, type: number, opts: { rd?: boolean; udpSize?: number } = {}): Buffer {
  return encodeMessage(
    message({
      id,
      rd: opts.rd ?? true,
      questions: [{ name, type, class: CLASS.IN }],
      edns: opts.udpSize ? { udpSize: opts.udpSize, version: 0, dnssecOk: false, options: [] } : undefined,
    }),
  );
}
