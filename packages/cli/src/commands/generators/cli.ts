// How a generator verb runs: like command-kit's kubeAction, but an unusable kubeconfig fails
// only when a request is sent (kubectl's `create ... --dry-run=client` works with no cluster),
// and the verb learns what kubectl's cobra knows: the command path and where `--` was.
import { Option, type Command } from 'commander';
import { CliError, formatError } from '../../errors.js';
import { Kube, type GlobalOptions } from '../../context.js';
import { parseGoInt } from './parse.js';

export class GenContext {
  private client?: Kube;
  private failure?: unknown;
  /** -n, else the kubeconfig context's namespace, else `default`. */
  readonly namespace: string;
  /** -n was given: kubectl then writes the namespace into the generated object. */
  readonly explicitNamespace: boolean;

  constructor(
    opts: GlobalOptions,
    /** `minik create deployment`, for usage messages. */
    readonly commandPath: string,
    /** How many arguments came before `--` (-1 without one), cobra's ArgsLenAtDash. */
    readonly argsLenAtDash: number,
  ) {
    try {
      this.client = new Kube(opts);
    } catch (e) {
      this.failure = e;
    }
    this.namespace = this.client?.namespace ?? (opts.namespace || 'default');
    this.explicitNamespace = !!opts.namespace;
  }

  /** The API connection; a broken kubeconfig fails here, when it is first needed. */
  get kube(): Kube {
    if (!this.client) throw this.failure;
    return this.client;
  }

  /** kubectl's UsageErrorf. */
  usage(msg: string): CliError {
    return new CliError(`error: ${msg}\nSee '${this.commandPath} -h' for help and examples`);
  }

  /** cobra's message for a flag value its type cannot parse. */
  badFlag(flag: string, value: string, why: string): CliError {
    return new CliError(`Error: invalid argument "${value}" for "${flag}" flag: ${why}\nSee '${this.commandPath} --help' for usage.`);
  }

  /** cobra's check of MarkFlagRequired flags, done before the command runs. */
  requireFlags(opts: Record<string, unknown>, ...names: string[]): void {
    const missing = names.filter((n) => opts[n.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())] === undefined);
    if (missing.length) throw new CliError(`error: required flag(s) ${missing.map((m) => `"${m}"`).join(', ')} not set`);
  }

  /** create.NameFromCommandArgs: exactly one argument before `--`. */
  nameFromArgs(args: string[]): string {
    const n = this.argsLenAtDash === -1 ? args.length : this.argsLenAtDash;
    if (n !== 1) throw this.usage(`exactly one NAME is required, got ${n}`);
    return args[0];
  }

  /** An integer flag, parsed (and failing) as pflag's int32/int flags do. */
  intFlag(opts: Record<string, unknown>, key: string, flag: string, def: number, bits = 32): number {
    const v = opts[key];
    if (v === undefined) return def;
    try {
      return parseGoInt(String(v), bits);
    } catch (e) {
      throw this.badFlag(flag, String(v), (e as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

export type GenAction = (ctx: GenContext, args: string[], opts: Record<string, unknown>) => Promise<number | void>;

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The arguments after `--` are the tail of cmd.args; the root keeps the raw argv. */
function argsLenAtDash(cmd: Command, args: string[]): number {
  let root = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as Command & { rawArgs?: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  if (dash < 0) return -1;
  return Math.max(0, args.length - (raw.length - dash - 1));
}

export function genAction(load: () => Promise<GenAction>) {
  return async (...argv: unknown[]) => {
    const cmd = argv[argv.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const args = (cmd.args ?? []) as string[];
    let ctx: GenContext | undefined;
    try {
      ctx = new GenContext(opts, commandPath(cmd), argsLenAtDash(cmd, args));
      const code = await (await load())(ctx, args, opts);
      process.exitCode = code ?? 0;
    } catch (e) {
      process.stderr.write(formatError(e) + '\n');
      process.exitCode = e instanceof CliError ? e.exitCode : 1;
    } finally {
      await ctx?.close();
    }
  };
}

const GO_BOOLS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

/**
 * pflag's boolean flags also take a value (`--attach=false`, `--save-config=true`); commander's
 * do not. Rewrites those arguments to `--flag` / a hidden `--no-flag` before the command parses.
 */
export function acceptBoolValues(cmd: Command): Command {
  const bools = new Set(cmd.options.filter((o) => o.isBoolean() && !o.negate && o.long).map((o) => o.long!));
  for (const b of bools) cmd.addOption(new Option(`--no-${b.slice(2)}`).hideHelp());
  const parse = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => {
    const dash = args.indexOf('--');
    const head = dash < 0 ? args : args.slice(0, dash);
    const rewritten = head.map((a) => {
      const eq = a.indexOf('=');
      const flag = a.slice(0, eq);
      const value = GO_BOOLS[a.slice(eq + 1)];
      if (eq < 0 || !bools.has(flag) || value === undefined) return a;
      return value ? flag : `--no-${flag.slice(2)}`;
    });
    return parse(dash < 0 ? rewritten : [...rewritten, ...args.slice(dash)]);
  };
  return cmd;
}
