// Accept-header negotiation: kubectl asks for server-side printing with
// `application/json;as=Table;v=v1;g=meta.k8s.io` and falls back to plain JSON.

export type Representation = 'object' | 'table' | 'partial';

export function negotiate(accept: string | undefined): Representation {
  if (!accept) return 'object';
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    const as = params.get('as');
    if (!as) continue;
    const g = params.get('g');
    if (g && g !== 'meta.k8s.io') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'partial';
  }
  return 'object';
}
