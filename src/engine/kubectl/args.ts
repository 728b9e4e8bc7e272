/**
 * Command-line handling: a shell-like tokenizer and a pflag-like flag parser that fails in kubectl's
 * own words (`error: unknown flag: --foo`).
 */

/**
 * Split a console line into words as a POSIX shell would: whitespace separates, single quotes are
 * literal, double quotes allow `\"` and `\\`, a backslash outside quotes escapes the next character.
 *
 * @example splitCommandLine(`get pods -l 'app in (web, api)'`) // ['get', 'pods', '-l', 'app in (web, api)']
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      cur += line.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === '$')) {
          cur += line[i + 1];
          i += 2;
        } else cur += line[i++];
      }
      i++;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

export type FlagType = 'bool' | 'string' | 'int' | 'strings';

export interface FlagSpec {
  type: FlagType;
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | boolean | string[]>;
  /** Words after a bare `--` (exec's command). */
  rest: string[] | undefined;
}

/** Thrown for bad usage; `message` is printed as is (it already carries `error: ` and the hint line). */
export class UsageError extends Error {}

/** Flags every command accepts (kubectl's persistent flags that the simulation honours). */
export const GLOBAL_FLAGS: FlagSpecs = {
  namespace: { type: 'string', short: 'n' },
  help: { type: 'bool', short: 'h' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'request-timeout': { type: 'string' },
};

/**
 * Parse flags the way spf13/pflag does for kubectl: `--name=value`, `--name value`, `-n value`,
 * `-nvalue`, grouped boolean shorthands `-Aw`, and `--` to stop.
 */
export function parseArgs(args: string[], specs: FlagSpecs, command: string): ParsedArgs {
  const all: FlagSpecs = { ...GLOBAL_FLAGS, ...specs };
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(all)) if (s.short) byShort.set(s.short, name);
  const flags = new Map<string, string | boolean | string[]>();
  const positional: string[] = [];
  const hint = `See 'kubectl ${command} --help' for usage.`;
  const fail = (msg: string): never => {
    throw new UsageError(`error: ${msg}\n${hint}`);
  };
  const set = (name: string, spec: FlagSpec, value: string | boolean, shown: string): void => {
    if (spec.type === 'bool') {
      if (typeof value === 'string') {
        if (!/^(true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(value)) {
          fail(`invalid argument "${value}" for "${shown}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
        }
        flags.set(name, /^(true|1|t|TRUE|True)$/.test(value));
      } else flags.set(name, value);
    } else if (spec.type === 'int') {
      if (!/^-?\d+$/.test(String(value))) {
        fail(`invalid argument "${value}" for "${shown}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      }
      flags.set(name, String(value));
    } else if (spec.type === 'strings') {
      const prev = (flags.get(name) as string[] | undefined) ?? [];
      flags.set(name, [...prev, String(value)]);
    } else flags.set(name, String(value));
  };
  let rest: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = all[name];
      if (!spec) fail(`unknown flag: --${name}`);
      if (eq >= 0) set(name, spec, a.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') set(name, spec, true, `--${name}`);
      else if (i + 1 < args.length) set(name, spec, args[++i], `--${name}`);
      else fail(`flag needs an argument: --${name}`);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const name = byShort.get(c);
        if (!name) fail(`unknown shorthand flag: '${c}' in ${a}`);
        const spec = all[name!];
        const shown = `-${c}, --${name}`;
        if (spec.type === 'bool') {
          if (a[j + 1] === '=') {
            set(name!, spec, a.slice(j + 2), shown);
            break;
          }
          set(name!, spec, true, shown);
          continue;
        }
        const attached = a.slice(j + 1).replace(/^=/, '');
        if (attached) set(name!, spec, attached, shown);
        else if (i + 1 < args.length) set(name!, spec, args[++i], shown);
        else fail(`flag needs an argument: '${c}' in ${a}`);
        break;
      }
    } else positional.push(a);
  }
  return { positional, flags, rest };
}

/** Typed accessors over a parse result. */
export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true;
}

export function flagStrings(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
