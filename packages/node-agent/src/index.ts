export { NodeAgent, type AgentOptions } from './agent.js';
export { Docker, DockerUnavailableError } from './docker/index.js';
export { tar, type TarFile } from './docker/index.js';
