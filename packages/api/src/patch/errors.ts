/**
 * Why a patch could not be built or applied. The apiserver maps these to a Status:
 * `TestFailed`, `PathNotFound` and `Invalid` are the client's fault (422), `Conflict` is a
 * three-way merge conflict (409).
 */
export type PatchErrorReason = 'Invalid' | 'PathNotFound' | 'TestFailed' | 'Conflict';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly reason: PatchErrorReason;
  /** For JSON Patch: the index of the failing operation and its path. */
  readonly operation?: number;
  readonly path?: string;

  constructor(message: string, reason: PatchErrorReason = 'Invalid', where?: { operation?: number; path?: string }) {
    super(message);
    this.reason = reason;
    this.operation = where?.operation;
    this.path = where?.path;
  }
}
