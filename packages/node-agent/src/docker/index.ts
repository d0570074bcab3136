export { Docker, API_VERSION } from './client.js';
export { splitRef } from './params.js';
export type {
  DockerOptions,
  LogsOptions,
  AttachOptions,
  ExecCreateOptions,
  NetworkCreateOptions,
  EventsOptions,
  PullProgress,
} from './client.js';
export { DockerError, DockerUnavailableError, ImagePullError, NoSuchImageError } from './errors.js';
export { demux, rawChunks } from './demux.js';
export type { StdStream, StreamChunk } from './demux.js';
export { jsonLines } from './json-lines.js';
export { dockerHost, DEFAULT_SOCKET } from './host.js';
export type { DockerHost } from './host.js';
export { ensurePauseImage, pauseImageTar, PAUSE_IMAGE } from './pause-image.js';
export { pauseElf, pauseArch } from './pause-elf.js';
export type { PauseArch } from './pause-elf.js';
export { tar } from './tar.js';
export type { TarFile } from './tar.js';
export type * from './types.js';
