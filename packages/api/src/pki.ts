// A small certificate authority for a cluster: ECDSA P-256 keys from node:crypto and X.509 v3
// certificates encoded by hand (DER), so no OpenSSL or native dependency is needed. kubectl
// only sends bearer tokens over TLS, so minik's apiserver needs a certificate it trusts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

// ---- DER ---------------------------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(s: string): Buffer {
  const parts = s.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    let v = p >>> 7;
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  // RFC 5280: UTCTime through 2049, GeneralizedTime after.
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function name(cn: string, org?: string): Buffer {
  const rdns = [set(seq(oid(OID.commonName), utf8(cn)))];
  if (org) rdns.unshift(set(seq(oid(OID.organization), utf8(org))));
  return seq(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(pub: KeyObject): Buffer {
  return createHash('sha1').update(pub.export({ type: 'spki', format: 'der' })).digest();
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const full = ip.includes('::') ? expandV6(ip) : ip;
  return Buffer.from(full.split(':').flatMap((h) => [parseInt(h, 16) >> 8, parseInt(h, 16) & 0xff]));
}

function expandV6(ip: string): string {
  const [a, b] = ip.split('::');
  const left = a ? a.split(':') : [];
  const right = b ? b.split(':') : [];
  return [...left, ...Array(8 - left.length - right.length).fill('0'), ...right].join(':');
}

// ---- certificates --------------------------------------------------------------------------------

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertRequest {
  commonName: string;
  organization?: string;
  /** DNS names and IP addresses for subjectAltName. */
  hosts?: string[];
  usage: 'ca' | 'server' | 'client' | 'server+client';
  days: number;
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Issues a certificate signed by `issuer` (or self-signed when issuer is undefined). */
export function issueCertificate(req: CertRequest, issuer?: { certPem: string; keyPem: string; commonName: string }): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = issuer ? createPrivateKey(issuer.keyPem) : privateKey;
  const signerPub = issuer ? createPublicKey(issuer.keyPem) : publicKey;
  const alg = seq(oid(OID.ecdsaWithSHA256));
  const now = Date.now();
  const exts: Buffer[] = [];
  if (req.usage === 'ca') {
    exts.push(extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1))); // digitalSignature, keyCertSign, cRLSign
    exts.push(extension(OID.basicConstraints, true, seq(bool(true))));
  } else {
    exts.push(extension(OID.keyUsage, true, bitString(Buffer.from([0xa0]), 5))); // digitalSignature, keyEncipherment
    const eku = req.usage === 'server' ? [OID.serverAuth] : req.usage === 'client' ? [OID.clientAuth] : [OID.serverAuth, OID.clientAuth];
    exts.push(extension(OID.extKeyUsage, false, seq(...eku.map(oid))));
    exts.push(extension(OID.basicConstraints, true, seq()));
  }
  exts.push(extension(OID.subjectKeyId, false, octets(keyId(publicKey))));
  if (issuer) exts.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(signerPub)))));
  if (req.hosts?.length) {
    const names = req.hosts.map((h) => (isIP(h) ? tlv(0x87, ipBytes(h)) : tlv(0x82, Buffer.from(h, 'ascii'))));
    exts.push(extension(OID.subjectAltName, false, seq(...names)));
  }
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    alg,
    issuer ? name(issuer.commonName) : name(req.commonName, req.organization),
    seq(time(new Date(now - 60_000)), time(new Date(now + req.days * 86_400_000))),
    name(req.commonName, req.organization),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, signer); // DER ECDSA-Sig-Value, as X.509 wants
  const cert = seq(tbs, alg, bitString(signature));
  return { certPem: toPem('CERTIFICATE', cert), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
