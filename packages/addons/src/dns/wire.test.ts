// The DNS wire format: queries captured from real resolvers, responses built byte for byte, round
// trips of every record type, compression, truncation and malformed input.
import { describe, expect, it } from 'vitest';
import { addressFromReverse, canonicalIP, formatIPv6, parseIPv6, reverseName } from './ip.js';
import { CLASS, decodeMessage, DnsFormatError, encodeMessage, encodeQuery, message, nameToLabels, labelsToName, RCODE, TYPE, type ResourceRecord } from './wire.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// `dig @127.0.0.1 -p 5399 backend.default.svc.cluster.local` (BIND 9.18): RD and AD set, EDNS0 with
// a 1232-byte UDP size and a client COOKIE option.
const DIG_QUERY = hex(`
  30b5 0120 0001 0000 0000 0001
  07 6261636b656e64 07 64656661756c74 03 737663 07 636c7573746572 05 6c6f63616c 00 0001 0001
  00 0029 04d0 00000000 000c 000a 0008 d67ce7f0d9a25e76`);

// `nslookup -port=5399 kube-dns.kube-system.svc.cluster.local 127.0.0.1` (BIND 9.18): no EDNS.
const NSLOOKUP_QUERY = hex(`
  9144 0100 0001 0000 0000 0000
  08 6b7562652d646e73 0b 6b7562652d73797374656d 03 737663 07 636c7573746572 05 6c6f63616c 00 0001 0001`);

// `dig +noedns +noad _http._tcp.backend.default.svc.cluster.local SRV`.
const DIG_SRV_QUERY = hex(`
  a5c3 0100 0001 0000 0000 0000
  05 5f68747470 04 5f746370 07 6261636b656e64 07 64656661756c74 03 737663 07 636c7573746572 05 6c6f63616c 00 0021 0001`);

describe('decoding captured queries', () => {
  it('reads dig’s query with its EDNS0 OPT record and cookie', () => {
    const m = decodeMessage(DIG_QUERY);
    expect(m).toMatchObject({ id: 0x30b5, qr: false, opcode: 0, rd: true, ad: true, cd: false, rcode: 0 });
    expect(m.questions).toEqual([{ name: 'backend.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN }]);
    expect(m.additionals).toEqual([]);
    expect(m.edns).toEqual({ udpSize: 1232, version: 0, dnssecOk: false, options: [{ code: 10, data: hex('d67ce7f0d9a25e76') }] });
  });

  it('reads nslookup’s plain query and dig’s SRV query', () => {
    const m = decodeMessage(NSLOOKUP_QUERY);
    expect(m).toMatchObject({ id: 0x9144, rd: true, ad: false });
    expect(m.edns).toBeUndefined();
    expect(m.questions).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN }]);
    const srv = decodeMessage(DIG_SRV_QUERY);
    expect(srv.questions).toEqual([{ name: '_http._tcp.backend.default.svc.cluster.local', type: TYPE.SRV, class: CLASS.IN }]);
  });

  it('encodes those queries back to the same bytes', () => {
    expect(encodeMessage(decodeMessage(DIG_QUERY))).toEqual(DIG_QUERY);
    expect(encodeMessage(decodeMessage(NSLOOKUP_QUERY))).toEqual(NSLOOKUP_QUERY);
    expect(encodeMessage(decodeMessage(DIG_SRV_QUERY))).toEqual(DIG_SRV_QUERY);
    expect(encodeQuery(0x9144, 'kube-dns.kube-system.svc.cluster.local', TYPE.A)).toEqual(NSLOOKUP_QUERY);
  });
});

describe('encoding responses', () => {
  it('builds the O13 answer byte for byte, the owner name compressed to the question', () => {
    const q = decodeMessage(NSLOOKUP_QUERY);
    const out = encodeMessage(
      message({
        id: q.id,
        qr: true,
        aa: true,
        rd: true,
        questions: q.questions,
        answers: [{ name: 'kube-dns.kube-system.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.10' }],
      }),
    );
    const expected = Buffer.concat([
      hex('9144 8500 0001 0001 0000 0000'),
      NSLOOKUP_QUERY.subarray(12),
      // pointer to offset 12, A, IN, TTL 5, RDLENGTH 4, 10.96.0.10
      hex('c00c 0001 0001 00000005 0004 0a60000a'),
    ]);
    expect(out).toEqual(expected);
  });

  it('compresses suffixes shared with earlier names, case-insensitively, but never SRV targets', () => {
    const m = message({
      id: 1,
      qr: true,
      questions: [{ name: '_http._tcp.Backend.default.svc.cluster.local', type: TYPE.SRV, class: CLASS.IN }],
      answers: [{ name: '_http._tcp.Backend.default.svc.cluster.local', type: TYPE.SRV, class: CLASS.IN, ttl: 5, priority: 0, weight: 100, port: 80, target: 'backend.default.svc.cluster.local' }],
      additionals: [{ name: 'backend.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: '10.96.0.20' }],
      authorities: [{ name: 'cluster.local', type: TYPE.SOA, class: CLASS.IN, ttl: 5, soa: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 } }],
    });
    const out = encodeMessage(m);
    // Question at 12: 05 _http (12) 04 _tcp (18) 07 Backend (23) 07 default (31) 03 svc (39) 07 cluster (43) 05 local (51)
    const ans = 12 + 46 + 4;
    expect(out.subarray(ans, ans + 2)).toEqual(hex('c00c'));
    // The SRV target is written out in full (RFC 2782), so its RDATA is 6 + 35 bytes.
    expect(out.readUInt16BE(ans + 10)).toBe(6 + 35);
    expect(out.subarray(ans + 12 + 6, ans + 12 + 6 + 8).toString('latin1')).toBe('\x07backend');
    const back = decodeMessage(out);
    expect(back.answers).toEqual(m.answers);
    expect(back.authorities).toEqual(m.authorities);
    // Compression ignores case: the additional's owner points into the question's "Backend...".
    expect(back.additionals).toEqual([{ ...m.additionals[0], name: 'Backend.default.svc.cluster.local' }]);
    // The SOA: its owner is a pointer to "cluster.local" (offset 43); so are its names' tails:
    // 02 ns 03 dns c02b (9) + 0a hostmaster c02b (13) + 5 numbers (20) = 42 bytes of RDATA.
    const soaAt = ans + 12 + 41;
    expect(out.subarray(soaAt, soaAt + 4)).toEqual(hex('c02b 0006'));
    expect(out.readUInt16BE(soaAt + 10)).toBe(42);
  });

  it('round-trips every record type it knows, and unknown ones as raw bytes', () => {
    const rrs: ResourceRecord[] = [
      { name: 'a.example', type: TYPE.A, class: CLASS.IN, ttl: 1, address: '192.0.2.1' },
      { name: 'a.example', type: TYPE.AAAA, class: CLASS.IN, ttl: 2, address: '2001:db8::1' },
      { name: 'c.example', type: TYPE.CNAME, class: CLASS.IN, ttl: 3, target: 'a.example' },
      { name: 'example', type: TYPE.NS, class: CLASS.IN, ttl: 4, target: 'ns.example' },
      { name: '1.2.0.192.in-addr.arpa', type: TYPE.PTR, class: CLASS.IN, ttl: 5, target: 'a.example' },
      { name: 'example', type: TYPE.MX, class: CLASS.IN, ttl: 6, preference: 10, exchange: 'mail.example' },
      { name: 'example', type: TYPE.TXT, class: CLASS.IN, ttl: 7, texts: ['v=1', '', 'x'.repeat(300).slice(0, 255), 'ünïcode'] },
      { name: '_x._tcp.example', type: TYPE.SRV, class: CLASS.IN, ttl: 8, priority: 1, weight: 2, port: 3, target: 'a.example' },
      { name: 'example', type: TYPE.SOA, class: CLASS.IN, ttl: 9, soa: { mname: 'ns.example', rname: 'hostmaster.example', serial: 4294967295, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
      { name: 'example', type: 99, class: CLASS.IN, ttl: 10, raw: hex('deadbeef') },
    ];
    const m = message({ id: 0xffff, qr: true, aa: true, tc: false, rd: true, ra: true, ad: true, cd: true, rcode: RCODE.NXDOMAIN, questions: [{ name: 'example', type: TYPE.ANY, class: CLASS.IN }], answers: rrs });
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('splits a TXT string longer than 255 bytes into several character-strings', () => {
    const m = message({ answers: [{ name: 't', type: TYPE.TXT, class: CLASS.IN, ttl: 0, texts: ['y'.repeat(300)] }] });
    const back = decodeMessage(encodeMessage(m)).answers[0] as { texts: string[] };
    expect(back.texts).toEqual(['y'.repeat(255), 'y'.repeat(45)]);
  });

  it('carries the extended rcode and the DO bit in the OPT record', () => {
    const m = message({ id: 7, qr: true, rcode: RCODE.BADVERS, edns: { udpSize: 1232, version: 0, dnssecOk: true, options: [] } });
    const out = encodeMessage(m);
    expect(out.readUInt16BE(2) & 0xf).toBe(0);
    expect(out.subarray(out.length - 11)).toEqual(hex('00 0029 04d0 01 00 8000 0000'));
    expect(decodeMessage(out)).toEqual(m);
  });
});

describe('truncation', () => {
  const many = (n: number): ResourceRecord[] => Array.from({ length: n }, (_, i) => ({ name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN, ttl: 5, address: `10.244.${i >> 8}.${i & 255}` }));
  const q = { name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS.IN };

  it('drops the answers that do not fit in 512 bytes and sets TC', () => {
    const out = encodeMessage(message({ id: 1, qr: true, questions: [q], answers: many(100) }), 512);
    expect(out.length).toBeLessThanOrEqual(512);
    const m = decodeMessage(out);
    expect(m.tc).toBe(true);
    // 12 + 35 question bytes, then 16 bytes per compressed A record.
    expect(m.answers).toHaveLength(Math.floor((512 - 12 - 35) / 16));
    expect(encodeMessage(message({ questions: [q], answers: many(100) })).length).toBe(12 + 35 + 1600);
  });

  it('keeps room for the OPT record and uses the EDNS size', () => {
    const edns = { udpSize: 1232, version: 0, dnssecOk: false, options: [] };
    const out = encodeMessage(message({ qr: true, questions: [q], answers: many(100), edns }), 1232);
    const m = decodeMessage(out);
    expect(out.length).toBeLessThanOrEqual(1232);
    expect(m.tc).toBe(true);
    expect(m.edns).toEqual(edns);
    expect(m.answers).toHaveLength(Math.floor((1232 - 11 - 12 - 35) / 16));
  });

  it('does not set TC when only additional records are left out', () => {
    const out = encodeMessage(message({ qr: true, questions: [q], answers: many(2), additionals: many(100) }), 512);
    const m = decodeMessage(out);
    expect(m.tc).toBe(false);
    expect(m.answers).toHaveLength(2);
    expect(m.additionals.length).toBeLessThan(100);
  });
});

describe('malformed input', () => {
  it('rejects messages shorter than a header without an ID', () => {
    expect(() => decodeMessage(hex('1234'))).toThrow(DnsFormatError);
    try {
      decodeMessage(hex('1234'));
    } catch (e) {
      expect((e as DnsFormatError).id).toBeUndefined();
    }
  });

  it('rejects a truncated question, with the ID for a FORMERR', () => {
    const bad = NSLOOKUP_QUERY.subarray(0, 30);
    try {
      decodeMessage(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DnsFormatError);
      expect((e as DnsFormatError).id).toBe(0x9144);
    }
  });

  it('rejects compression loops and forward pointers', () => {
    // The question name is a pointer to itself.
    expect(() => decodeMessage(hex('0001 0000 0001 0000 0000 0000 c00c 0001 0001'))).toThrow(/pointer/);
    // ... or to a later offset.
    expect(() => decodeMessage(hex('0001 0000 0001 0000 0000 0000 c010 0001 0001 00'))).toThrow(/pointer/);
  });

  it('rejects two OPT records and counts beyond the data', () => {
    const opt = hex('00 0029 0200 00000000 0000');
    const twice = Buffer.concat([hex('0001 0000 0000 0000 0000 0002'), opt, opt]);
    expect(() => decodeMessage(twice)).toThrow(/OPT/);
    expect(() => decodeMessage(hex('0001 0000 0005 0000 0000 0000'))).toThrow(DnsFormatError);
  });

  it('keeps record data that does not parse as raw bytes', () => {
    // An A record with 3 bytes of data.
    const m = decodeMessage(hex('0001 8000 0000 0001 0000 0000 00 0001 0001 00000005 0003 010203'));
    expect(m.answers[0]).toEqual({ name: '', type: TYPE.A, class: CLASS.IN, ttl: 5, raw: hex('010203') });
  });
});

describe('names and addresses', () => {
  it('escapes label bytes that are not printable, and reads them back', () => {
    const labels = [Buffer.from('a.b'), Buffer.from([0, 0x20, 0xff]), Buffer.from('c\\d')];
    const name = labelsToName(labels);
    expect(name).toBe('a\\.b.\\000\\032\\255.c\\\\d');
    expect(nameToLabels(name)).toEqual(labels);
    expect(nameToLabels('example.com.')).toEqual([Buffer.from('example'), Buffer.from('com')]);
    expect(() => nameToLabels('a..b')).toThrow(/empty label/);
    expect(() => nameToLabels('x'.repeat(64))).toThrow(/63/);
    expect(() => nameToLabels(Array(130).fill('ab').join('.'))).toThrow(/255/);
  });

  it('formats and parses IPv6 as RFC 5952 says', () => {
    expect(formatIPv6(parseIPv6('2001:0db8:0000:0000:0000:0000:0000:0001')!)).toBe('2001:db8::1');
    expect(formatIPv6(parseIPv6('::')!)).toBe('::');
    expect(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
    expect(formatIPv6(parseIPv6('1:0:2:3:4:5:6:7')!)).toBe('1:0:2:3:4:5:6:7');
    expect(canonicalIP('::ffff:10.0.0.1')).toBe('::ffff:a00:1');
    expect(canonicalIP('10.01.0.1')).toBeUndefined();
    expect(parseIPv6('1::2::3')).toBeUndefined();
  });

  it('maps addresses to reverse names and back', () => {
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa');
    expect(addressFromReverse('10.0.96.10.IN-ADDR.ARPA.')).toBe('10.96.0.10');
    expect(addressFromReverse('0.96.10.in-addr.arpa')).toBeUndefined();
    const v6 = reverseName('fd00::1')!;
    expect(v6).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa');
    expect(addressFromReverse(v6)).toBe('fd00::1');
  });
});
