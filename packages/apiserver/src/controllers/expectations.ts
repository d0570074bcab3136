// Controller expectations (pkg/controller/controller_utils.go, UIDTrackingControllerExpectations):
// after a controller asks for N creations or for deleting some pods, it skips acting again until
// its informer has seen them, so a lagging cache never makes it create or delete twice. They
// expire after 5 minutes, in case a watch event was lost.

interface Expectation {
  adds: number;
  dels: number;
  /** Keys (namespace/name) of the pods whose deletion is expected. */
  deleting: Set<string>;
  since: number;
}

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly ttlMs = EXPECTATIONS_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** SatisfiedExpectations: nothing outstanding, expired, or never set. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    return (e.adds <= 0 && e.dels <= 0) || this.now() - e.since > this.ttlMs;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { adds: n, dels: 0, deleting: new Set(), since: this.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { adds: 0, dels: podKeys.length, deleting: new Set(podKeys), since: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  /** Counts a deletion only for pods this controller chose to delete (and only once). */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(podKey)) e.dels--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
