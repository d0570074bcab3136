/**
 * The parts of Docker Engine API v1.41 objects that minik reads or writes. Field names are
 * Docker's own (PascalCase); every object stays open (`[key: string]: unknown`) so the
 * raw Engine shapes pass through unchanged.
 */

export type Labels = Record<string, string>;

/** Label filter: `{ key: 'value' }` matches key=value, `{ key: true }` matches any value. */
export type LabelFilter = Record<string, string | true>;

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string };
  Aliases?: string[];
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  MacAddress?: string;
  [key: string]: unknown;
}

export interface HostConfig {
  /** 'bridge', a network name, or 'container:<id>' to join another container's namespaces. */
  NetworkMode?: string;
  Binds?: string[];
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  ExtraHosts?: string[];
  IpcMode?: string;
  PidMode?: string;
  Memory?: number;
  NanoCpus?: number;
  CpuShares?: number;
  RestartPolicy?: { Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  Init?: boolean;
  Privileged?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  [key: string]: unknown;
}

/** Body of POST /containers/create (Docker calls it ContainerConfig plus HostConfig and NetworkingConfig). */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  Labels?: Labels;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  StopSignal?: string;
  StopTimeout?: number;
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings> };
  [key: string]: unknown;
}

export interface ContainerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  [key: string]: unknown;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  RestartCount: number;
  State: ContainerState;
  Config: ContainerCreateBody & { Labels: Labels | null; Tty: boolean };
  HostConfig: HostConfig;
  NetworkSettings: { Networks: Record<string, EndpointSettings>; IPAddress?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** An entry of GET /containers/json. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: ContainerState['Status'];
  Status: string;
  Labels: Labels;
  NetworkSettings?: { Networks: Record<string, EndpointSettings> };
  [key: string]: unknown;
}

export interface ContainerWaitResult {
  StatusCode: number;
  Error?: { Message: string } | null;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  Size: number;
  Architecture: string;
  Os: string;
  Config: { Cmd?: string[] | null; Entrypoint?: string[] | null; Env?: string[] | null; [key: string]: unknown };
  [key: string]: unknown;
}

export interface VersionInfo {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  /** Go's names: 'amd64', 'arm64', ... */
  Arch: string;
  KernelVersion: string;
  [key: string]: unknown;
}

export interface SystemInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  CgroupDriver: string;
  CgroupVersion?: string;
  [key: string]: unknown;
}

export interface ExecInspect {
  ID: string;
  Running: boolean;
  /** null while running. */
  ExitCode: number | null;
  Pid: number;
  ContainerID: string;
  [key: string]: unknown;
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  IPAM: { Driver: string; Config: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null };
  Options: Record<string, string> | null;
  Labels: Labels | null;
  /** Only in inspect (not list): containers attached, by id. */
  Containers?: Record<string, { Name: string; IPv4Address: string; MacAddress: string; EndpointID: string }>;
  [key: string]: unknown;
}

/** One message of GET /events. */
export interface DockerEvent {
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'plugin' | 'service' | 'node' | 'secret' | 'config';
  /** 'create', 'start', 'die', 'oom', 'kill', 'stop', 'destroy', 'exec_start: sh', 'health_status: healthy', ... */
  Action: string;
  Actor: {
    ID: string;
    /** Container labels plus name, image and, on 'die', exitCode (as a string). */
    Attributes: Record<string, string>;
  };
  scope?: string;
  /** Legacy duplicates of Actor.ID, Action and the image, still sent for container events. */
  id?: string;
  status?: string;
  from?: string;
  time: number;
  timeNano: number;
  [key: string]: unknown;
}
