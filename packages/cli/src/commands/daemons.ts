// The daemons' own entry points (`minik apiserver`), run by `minik start` as detached processes.
import { readFileSync } from 'node:fs';

export async function runApiserver(opts: { dataDir: string; host: string; port: string; tokenFile?: string; tlsCertFile?: string; tlsPrivateKeyFile?: string; clientCaFile?: string }): Promise<void> {
  const { startApiserver } = await import('@minik/apiserver');
  const token = opts.tokenFile ? readFileSync(opts.tokenFile, 'utf8').trim() : undefined;
  const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);
  const tls =
    opts.tlsCertFile && opts.tlsPrivateKeyFile
      ? { cert: readFileSync(opts.tlsCertFile, 'utf8'), key: readFileSync(opts.tlsPrivateKeyFile, 'utf8'), ca: opts.clientCaFile ? readFileSync(opts.clientCaFile, 'utf8') : readFileSync(opts.tlsCertFile, 'utf8') }
      : undefined;
  const server = await startApiserver({ dataDir: opts.dataDir, host: opts.host, port: Number(opts.port), token, log, tls });
  log(`apiserver listening on ${server.url}`);
  let closing = false;
  const shutdown = async (sig: string) => {
    if (closing) return;
    closing = true;
    log(`${sig}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
