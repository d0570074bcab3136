// Image pull policy as kubelet applies it. minik differs in one place, on purpose: with
// `Always`, a failed pull falls back to an image already on the machine (with a Warning
// event), so locally built images work without a registry and without a `kind load` step.
import type { Docker } from './docker/index.js';
import { Backoff } from './backoff.js';
import type { Waiting } from './pod-status.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImageResult {
  imageId?: string;
  waiting?: Waiting;
  /** Events to record about the pod's container. */
  events: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
}

/** kubelet's default: Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): PullPolicy {
  const noDigest = !image.includes('@');
  const lastSlash = image.lastIndexOf('/');
  const tag = image.slice(lastSlash + 1).split(':')[1];
  return noDigest && (!tag || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

export class ImageManager {
  private readonly backoff = new Backoff();
  private readonly pulling = new Map<string, Promise<void>>();

  constructor(private readonly docker: Docker) {}

  /** Image ids seen recently: starting 30 replicas of one image asks Docker once, not 30 times. */
  private readonly seen = new Map<string, { id: string; at: number }>();

  private async inspect(image: string): Promise<string | undefined> {
    const hit = this.seen.get(image);
    if (hit && Date.now() - hit.at < 10_000) return hit.id;
    const info = (await this.docker.imageInspect(image)) as { Id?: string } | undefined;
    if (info?.Id) this.seen.set(image, { id: info.Id, at: Date.now() });
    else this.seen.delete(image);
    return info?.Id;
  }

  async ensure(image: string, policy: PullPolicy | undefined, backoffKey: string): Promise<ImageResult> {
    const effective = policy ?? defaultPullPolicy(image);
    const present = await this.inspect(image);
    if (effective === 'Never') {
      if (present) return { imageId: present, events: [{ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` }] };
      const message = `Container image "${image}" is not present with pull policy of Never`;
      return { waiting: { reason: 'ErrImageNeverPull', message }, events: [{ type: 'Warning', reason: 'ErrImageNeverPull', message }] };
    }
    if (effective === 'IfNotPresent' && present) {
      return { imageId: present, events: [{ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` }] };
    }
    const wait = this.backoff.remaining(backoffKey);
    if (wait > 0) {
      if (present) return { imageId: present, events: [] };
      const message = `Back-off pulling image "${image}"`;
      return { waiting: { reason: 'ImagePullBackOff', message }, events: [{ type: 'Normal', reason: 'BackOff', message }] };
    }
    const events: ImageResult['events'] = [{ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` }];
    const t0 = Date.now();
    try {
      let p = this.pulling.get(image);
      if (!p) {
        p = this.docker.imagePull(image).finally(() => this.pulling.delete(image));
        this.pulling.set(image, p);
      }
      await p;
      this.backoff.reset(backoffKey);
      const secs = ((Date.now() - t0) / 1000).toFixed(3);
      events.push({ type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting)` });
      return { imageId: await this.inspect(image), events };
    } catch (e) {
      const err = (e as Error).message;
      if (present) {
        events.push({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${err}; using the image already present on this machine` });
        return { imageId: present, events };
      }
      this.backoff.next(backoffKey);
      const message = `Failed to pull image "${image}": ${err}`;
      events.push({ type: 'Warning', reason: 'Failed', message }, { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' });
      return { waiting: { reason: 'ErrImagePull', message }, events };
    }
  }

  /** When to try pulling again. */
  retryAfter(backoffKey: string): number {
    return this.backoff.remaining(backoffKey);
  }
}
