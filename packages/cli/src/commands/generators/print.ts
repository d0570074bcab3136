// What create/run/expose print for the objects they make: `deployment.apps/x created (dry run)`,
// or -o name|json|yaml|jsonpath of the typed object (see typed.ts), as kubectl's PrintFlags do.
import type { KubeObject } from '@minik/api';
import { CliError } from '../../errors.js';
import { withoutManagedFields } from '../../printers/managed-fields.js';
import { resourceName } from '../../printers/name.js';
import { dryRunSuffix, type DryRun } from '../common.js';
import { goJSON, toTyped } from './typed.js';

/** The -o values these verbs accept, in kubectl's order (no tables, no custom-columns). */
const ALLOWED_FORMATS = ['go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'yaml'];

export type Format = 'operation' | 'name' | 'json' | 'yaml' | 'template';

function formatOf(output: string | undefined): Format {
  if (!output) return 'operation';
  const lower = output.toLowerCase();
  if (lower === 'json' || lower === 'yaml') return lower;
  if (output === 'name') return 'name';
  const head = output.split('=')[0];
  if (ALLOWED_FORMATS.includes(head) && head !== 'json' && head !== 'yaml' && head !== 'name') return 'template';
  throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_FORMATS.join(',')}`);
}

export class ObjectPrinter {
  readonly format: Format;
  private count = 0;

  /** Throws kubectl's error for an -o it cannot print, before anything is created. */
  constructor(
    private readonly output: string | undefined,
    /** `created`, `exposed`. */
    private readonly operation: string,
    private readonly dryRun: DryRun,
    private readonly showManagedFields = false,
  ) {
    this.format = formatOf(output);
  }

  /** Also checks a jsonpath template up front: kubectl builds its printer before creating anything. */
  async ready(): Promise<this> {
    if (this.format === 'template') (await import('../../printers/index.js')).parseOutputFormat(this.output);
    return this;
  }

  /** The text for one object; a printer counts its objects, as YAML needs `---` between them. */
  async print(obj: KubeObject): Promise<string> {
    this.count++;
    const clean = this.showManagedFields ? obj : withoutManagedFields(obj);
    switch (this.format) {
      case 'operation':
        return `${resourceName(obj)} ${this.operation}${dryRunSuffix(this.dryRun)}\n`;
      case 'name':
        return `${resourceName(obj)}\n`;
      case 'json':
        return goJSON(toTyped(clean), '    ') + '\n';
      case 'yaml': {
        const { marshalYAML } = await import('../../printers/index.js');
        return (this.count > 1 ? '---\n' : '') + marshalYAML(toTyped(clean));
      }
      case 'template': {
        const { printObjects } = await import('../../printers/index.js');
        return printObjects(toTyped(clean), this.output!);
      }
    }
  }

  async write(obj: KubeObject): Promise<void> {
    process.stdout.write(await this.print(obj));
  }
}

/** The printer for a verb's -o and --show-managed-fields. */
export function printerFor(opts: Record<string, unknown>, operation: string, dryRun: DryRun): Promise<ObjectPrinter> {
  return new ObjectPrinter(opts.output as string | undefined, operation, dryRun, !!opts.showManagedFields).ready();
}
