// Secret: Opaque by default, stringData folded into data (as v1 conversion does), and
// ValidateSecret / ValidateSecretUpdate (keys, 1 MiB, per-type required keys, immutability).
import type { Strategy } from '../strategy.js';
import { fe, type FieldError } from '../validation/field-errors.js';
import { isConfigMapKey } from '../validation/formats.js';
import { FIELD_IMMUTABLE } from '../validation/meta.js';
import { MAX_DATA_SIZE, base64Size, validateImmutable } from './configmap.js';
import { type Obj } from './util.js';

const SA_NAME = 'kubernetes.io/service-account.name';

/** Validates that a docker config value is a JSON object, with Go's message otherwise. */
function jsonObjectError(b64: string): string | undefined {
  try {
    const v = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'json: cannot unmarshal into Go value of type map[string]interface {}';
  } catch (e) {
    return (e as Error).message;
  }
}

function validateSecret(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data: Record<string, string> = s.data ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...isConfigMapKey(k).map((m) => fe.invalid(`data[${k}]`, k, m)));
    size += base64Size(v);
  }
  if (size > MAX_DATA_SIZE) errs.push(fe.tooLong('data', MAX_DATA_SIZE));
  const need = (...keys: string[]) => keys.filter((k) => !(k in data)).forEach((k) => errs.push(fe.required(`data[${k}]`)));
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.[SA_NAME]) errs.push(fe.required(`metadata.annotations[${SA_NAME}]`));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = s.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) need(key);
      else {
        const err = jsonObjectError(data[key]);
        if (err) errs.push(fe.invalid(`data[${key}]`, '<secret contents redacted>', err));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) need('username', 'password');
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) need('ssh-privatekey');
      break;
    case 'kubernetes.io/tls':
      need('tls.crt', 'tls.key');
      break;
  }
  return errs;
}

export const secretStrategy: Strategy = {
  defaults(s) {
    s.type ||= 'Opaque';
    // stringData is write-only: v1 conversion merges it into data, stringData wins.
    if (s.stringData && typeof s.stringData === 'object') {
      const data = (s.data ??= {}) as Record<string, string>;
      for (const [k, v] of Object.entries(s.stringData as Record<string, string>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete s.stringData;
    }
  },
  validate: (s) => validateSecret(s),
  validateUpdate(s, old) {
    const errs: FieldError[] = (s.type ?? '') === (old.type ?? '') ? [] : [fe.invalid('type', s.type ?? '', FIELD_IMMUTABLE)];
    return [...errs, ...validateImmutable(s, old, ['data']), ...validateSecret(s)];
  },
  selectableFields: (s) => ({ type: String(s.type ?? '') }),
  nameValidation: 'subdomain',
  tracksGeneration: false,
};
