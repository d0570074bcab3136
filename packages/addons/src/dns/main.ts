// The coredns pods' entry point (node /minik/dns.mjs in minik's add-on image): cluster DNS on
// 0.0.0.0 with the settings of config.ts; SIGTERM (and SIGINT) stop it cleanly.
import { ApiClient } from '@minik/api';
import { dnsSettings } from './config.js';
import { startDnsServer, type DnsServer } from './server.js';

const log = (m: string) => process.stdout.write(`${new Date().toISOString()} ${m}\n`);

async function main(): Promise<void> {
  const s = dnsSettings();
  const client = new ApiClient({ ...s.api, userAgent: 'minik-coredns' });
  let server: DnsServer | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void (async () => {
      await server?.close();
      await client.close();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const dns = await startDnsServer({ client, host: '0.0.0.0', port: s.port, clusterDomain: s.clusterDomain, upstream: s.upstream, ttl: s.ttl, healthPort: s.healthPort, readyPort: s.readyPort, metricsPort: s.metricsPort, log });
  if (stopping) return void (await dns.close());
  server = dns;
  const side = [`health :${dns.healthPort}/health`, `ready :${dns.readyPort}/ready`, `metrics :${dns.metricsPort}/metrics`].join(', ');
  log(
    `cluster DNS for ${s.clusterDomain} on ${dns.host}:${dns.port} (UDP, TCP); upstream ${dns.upstream.join(', ') || 'none (SERVFAIL outside the cluster)'}; ${side}; API ${s.api.server}${dns.ready() ? '' : ' (not synced yet)'}`,
  );
}

main().catch((e: Error) => {
  log(`error: ${e.message}`);
  process.exit(1);
});
