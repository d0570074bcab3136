// The work queue lives in the shared api package (node agents use it too).
export { WorkQueue, runWorkers } from '@minik/api';
