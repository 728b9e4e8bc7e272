/**
 * Tab completion for the console: commands, sub-commands, resource types and flags come from the
 * static grammar below; object names (pods, nodes, …) come from the caller, who knows the cluster.
 * Pure functions, so the console's behaviour is unit-tested without a DOM.
 */

/** kubectl verbs the simulator understands (see DESIGN.md "The scenario script"). */
export const KUBECTL_VERBS = [
  'annotate', 'api-resources', 'apply', 'cordon', 'create', 'delete', 'describe', 'drain', 'edit', 'events', 'exec',
  'explain', 'get', 'label', 'logs', 'rollout', 'scale', 'taint', 'top', 'uncordon', 'version',
] as const;

/** `sim …` sub-commands (src/engine/session.ts). */
export const SIM_SUBCOMMANDS = ['add-node', 'advance', 'cluster', 'heal-node', 'help', 'kill-node', 'partition-node', 'seed', 'start-node'] as const;

/** Resource types with kubectl's short names, in the order `kubectl api-resources` would list them. */
export const RESOURCE_TYPES = [
  'configmaps', 'cm', 'daemonsets', 'ds', 'deployments', 'deploy', 'endpointslices', 'events', 'ev', 'jobs',
  'namespaces', 'ns', 'nodes', 'no', 'pods', 'po', 'replicasets', 'rs', 'secrets', 'services', 'svc',
] as const;

const ROLLOUT_SUBCOMMANDS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];
const CREATE_SUBCOMMANDS = ['deployment', 'job', 'namespace', 'configmap', 'service'];
const TOP_SUBCOMMANDS = ['nodes', 'pods'];
const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name', 'jsonpath='];

const COMMON_FLAGS = ['--namespace', '-n', '--help'];
const VERB_FLAGS: Record<string, string[]> = {
  get: ['--output', '-o', '--selector', '-l', '--all-namespaces', '-A', '--show-labels', '--watch', '-w', '--field-selector'],
  describe: ['--selector', '-l', '--all-namespaces', '-A'],
  apply: ['--filename', '-f', '--dry-run', '--server-side'],
  create: ['--filename', '-f', '--image', '--replicas', '--port', '--dry-run', '--output', '-o'],
  delete: ['--filename', '-f', '--selector', '-l', '--all', '--force', '--grace-period', '--now', '--wait'],
  scale: ['--replicas'],
  drain: ['--ignore-daemonsets', '--delete-emptydir-data', '--force', '--grace-period', '--timeout'],
  logs: ['--container', '-c', '--previous', '-p', '--tail', '--follow', '-f', '--timestamps'],
  exec: ['--container', '-c', '-it', '--stdin', '-i', '--tty', '-t'],
  label: ['--overwrite', '--all'],
  annotate: ['--overwrite', '--all'],
  taint: ['--overwrite'],
  events: ['--for', '--types', '--all-namespaces', '-A', '--watch', '-w'],
  rollout: ['--to-revision'],
  top: ['--containers', '--all-namespaces', '-A'],
};
const SIM_FLAGS: Record<string, string[]> = {
  cluster: ['--nodes', '--cpu', '--memory', '--max-pods'],
  'add-node': ['--cpu', '--memory', '--labels'],
};

/** Verbs whose next positional word is a resource type. */
const TAKES_TYPE = new Set(['get', 'describe', 'delete', 'edit', 'explain', 'label', 'annotate', 'scale', 'events']);

/** The line split into words, the word being completed, and where it starts. */
export interface Tokens {
  words: string[];
  current: string;
  start: number;
}

/** Split on whitespace; the last (possibly empty) word is the one under completion. */
export function tokenize(line: string): Tokens {
  const m = /(\S*)$/.exec(line)!;
  const current = m[1];
  const start = line.length - current.length;
  const words = line.slice(0, start).trim().split(/\s+/).filter(Boolean);
  return { words, current, start };
}

/**
 * Static candidates for the word under the cursor (everything except object names).
 * `words` are the complete words before it.
 */
export function grammarCandidates(words: string[], current: string): string[] {
  if (words.length === 0) return ['kubectl', 'k', 'sim', 'clear'];
  const [cmd, ...rest] = words;
  const prev = rest[rest.length - 1];
  if (cmd === 'sim') {
    if (rest.length === 0) return [...SIM_SUBCOMMANDS];
    if (current.startsWith('-')) return SIM_FLAGS[rest[0]] ?? [];
    return [];
  }
  if (cmd !== 'kubectl' && cmd !== 'k') return [];
  // Skip flags (and their values) to find the verb and positionals.
  const positional = positionals(rest);
  if (prev === '-o' || prev === '--output') return OUTPUT_FORMATS;
  if (prev === '-n' || prev === '--namespace') return [];
  if (positional.length === 0) return current.startsWith('-') ? COMMON_FLAGS : [...KUBECTL_VERBS];
  const verb = positional[0];
  if (current.startsWith('-')) {
    if (current.startsWith('--output=') || current.startsWith('-o=')) {
      const prefix = current.slice(0, current.indexOf('=') + 1);
      return OUTPUT_FORMATS.map((f) => prefix + f);
    }
    return [...(VERB_FLAGS[verb] ?? []), ...COMMON_FLAGS];
  }
  if (positional.length === 1) {
    if (TAKES_TYPE.has(verb)) return [...RESOURCE_TYPES];
    if (verb === 'rollout') return ROLLOUT_SUBCOMMANDS;
    if (verb === 'create') return CREATE_SUBCOMMANDS;
    if (verb === 'top') return TOP_SUBCOMMANDS;
  }
  if (positional.length === 2 && verb === 'rollout') return ['deployment/', 'daemonset/'];
  return [];
}

const FLAGS_WITH_VALUE = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '-f', '--filename', '-c', '--container', '--tail', '--replicas', '--image', '--grace-period', '--field-selector', '--for', '--types', '--to-revision', '--port', '--timeout', '--dry-run']);

function positionals(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      if (!w.includes('=') && FLAGS_WITH_VALUE.has(w)) i++;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** Longest common prefix of the strings ('' for none). */
export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return '';
  let p = items[0];
  for (const s of items) {
    while (!s.startsWith(p)) p = p.slice(0, -1);
    if (!p) break;
  }
  return p;
}

/** The result of pressing Tab. */
export interface Completion {
  /** The new input line. */
  line: string;
  /** Every candidate matching the current word (shown as a hint when more than one). */
  candidates: string[];
}

/**
 * Complete the last word of `line`. A single match is inserted with a trailing space (except for
 * values ending in `=` or `/`); several matches extend the word to their common prefix.
 *
 * @example
 * complete('kubectl ge', []) // → { line: 'kubectl get ', candidates: ['get'] }
 * complete('kubectl get pods w', ['web-1', 'web-2']) // → { line: 'kubectl get pods web-', … }
 */
export function complete(line: string, names: readonly string[]): Completion {
  const { words, current, start } = tokenize(line);
  const pool = [...grammarCandidates(words, current), ...(current.startsWith('-') ? [] : names)];
  const seen = new Set<string>();
  const candidates = pool.filter((c) => c.startsWith(current) && !seen.has(c) && (seen.add(c), true));
  if (candidates.length === 0) return { line, candidates };
  if (candidates.length === 1) {
    const word = candidates[0];
    const open = word.endsWith('=') || word.endsWith('/');
    return { line: line.slice(0, start) + word + (open ? '' : ' '), candidates };
  }
  const prefix = commonPrefix(candidates);
  return { line: line.slice(0, start) + (prefix.length > current.length ? prefix : current), candidates };
}
