/** Where the Docker Engine listens, from DOCKER_HOST like the docker CLI (no TLS, no contexts). */
export interface DockerHost {
  /** Origin for undici: always http://localhost for a unix socket. */
  origin: string;
  socketPath?: string;
  /** As users write it, for messages: unix:///var/run/docker.sock. */
  display: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export function dockerHost(value: string | undefined = process.env['DOCKER_HOST']): DockerHost {
  if (!value) return { origin: 'http://localhost', socketPath: DEFAULT_SOCKET, display: `unix://${DEFAULT_SOCKET}` };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    return { origin: 'http://localhost', socketPath, display: value };
  }
  // Plain TCP (a local dockerd -H tcp://127.0.0.1:2375, or an ssh tunnel); TLS is not supported.
  if (value.startsWith('tcp://')) return { origin: `http://${value.slice('tcp://'.length)}`, display: value };
  throw new Error(`DOCKER_HOST=${value} is not supported: use unix:///path/to/docker.sock or tcp://host:port`);
}

/** A socket path given directly (tests, --docker-socket flags). */
export function socketHost(socketPath: string): DockerHost {
  return { origin: 'http://localhost', socketPath, display: `unix://${socketPath}` };
}
