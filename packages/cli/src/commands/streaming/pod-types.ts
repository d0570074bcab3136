// The parts of a Pod the streaming verbs read (the CLI does not depend on kubernetes-types).
import type { KubeObject } from '@minik/api';

export interface Container {
  name: string;
  tty?: boolean;
  stdin?: boolean;
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    restartPolicy?: string;
    containers?: Container[];
    initContainers?: Container[];
    ephemeralContainers?: Container[];
  };
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}
