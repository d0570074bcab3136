// `minik version`: client and server versions, as kubectl prints them.
import { stringify } from 'yaml';
import type { Action } from '../main.js';
import { formatError, usageError } from '../errors.js';

export const MINIK_CLIENT_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+minik', minikVersion: '0.1.0', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` };

export const version: Action = async (kube, _args, opts) => {
  const client = { ...MINIK_CLIENT_VERSION, goVersion: `node${process.versions.node}`, compiler: 'node' };
  let server: Record<string, string> | undefined;
  let err: unknown;
  if (!opts.client) {
    try {
      server = await kube.client.request('GET', '/version');
    } catch (e) {
      err = e;
    }
  }
  const out = opts.output as string | undefined;
  if (out === 'json' || out === 'yaml') {
    const doc: Record<string, unknown> = { clientVersion: client };
    if (server) doc.serverVersion = server;
    process.stdout.write(out === 'json' ? JSON.stringify(doc, null, 2) + '\n' : stringify(doc));
  } else if (out) {
    throw usageError(`--output must be 'yaml' or 'json'`);
  } else {
    process.stdout.write(`Client Version: ${client.gitVersion}\n`);
    if (server) process.stdout.write(`Server Version: ${server.gitVersion}\n`);
  }
  if (err) {
    process.stderr.write(formatError(err) + '\n');
    return 1;
  }
};
