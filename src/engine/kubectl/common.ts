/** Shared plumbing of the kubectl commands: output buffers, errors, resource arguments. */
import type { Cluster } from '../cluster';
import { ApiError } from '../api/errors';
import { KINDS, kindFromResource, type Kind, type KindMap, type KObject } from '../api/types';
import { flagBool, flagString, type ParsedArgs, UsageError } from './args';
import { pluralGroup } from './output';

/** A failure printed as is on stderr (it already reads like kubectl's: `error: …`). */
export class CommandError extends Error {}

/** What one invocation has written so far. */
export class Output {
  stdout = '';
  stderr = '';
  /** Both streams in the order they were written, as a terminal shows them. */
  combined = '';
  exitCode = 0;
  out(text: string): void {
    this.raw(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  }
  err(text: string): void {
    const line = text.endsWith('\n') ? text : `${text}\n`;
    this.stderr += line;
    this.combined += line;
  }
  /** Append text to stderr exactly as given (a command's own stderr, passed through by exec). */
  rawErr(text: string): void {
    this.stderr += text;
    this.combined += text;
  }
  /** Append text to stdout exactly as given (jsonpath output has no trailing newline). */
  raw(text: string): void {
    this.stdout += text;
    this.combined += text;
  }
  /**
   * Remember an error (exit code 1) and carry on. It prints when the command ends, after everything
   * else: kubectl visits all its arguments, prints what it could, then its aggregate error.
   */
  fail(e: unknown): void {
    this.failures.push(errorText(e));
    this.exitCode = 1;
  }
  private readonly failures: string[] = [];
  /** Print the errors {@link fail} held back (the end of the command). */
  flushFailures(): void {
    for (const f of this.failures.splice(0)) this.err(f);
  }
}

/** The line kubectl prints for an error. */
export function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof ApiError) return e.toKubectl();
  if (e instanceof CommandError || e instanceof UsageError) return e.message;
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** What a command gets: the cluster, virtual now, the namespace in effect and the output. */
export interface Invocation {
  cluster: Cluster;
  now: number;
  out: Output;
  stdin: string | undefined;
  readFile: (path: string) => string | undefined;
}

/** The namespace a command works in: `-n`, else `default`. */
export function namespaceOf(p: ParsedArgs): string {
  return flagString(p, 'namespace') ?? 'default';
}

export function allNamespaces(p: ParsedArgs): boolean {
  return flagBool(p, 'all-namespaces');
}

/** Resolve a resource word (`po`, `pods`, `deploy`, `deployments.apps`) or fail as the API discovery does. */
export function kindOf(resource: string): Kind {
  const kind = kindFromResource(resource);
  if (!kind) throw new CommandError(`error: the server doesn't have a resource type "${resource}"`);
  return kind;
}

/** One requested group: a kind and the names asked for (undefined: every object of the kind). */
export interface TargetGroup {
  kind: Kind;
  names: string[] | undefined;
}

/** The resources of `kubectl get all` (the `all` category), in kubectl's order. */
export const ALL_CATEGORY: Kind[] = ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'Job'];

/**
 * Parse resource arguments: `pods`, `pod web api`, `pods,nodes`, `pod/web deploy/api`, `all`.
 * `multi` says whether several types were requested (names then carry a `kind/` prefix).
 */
export function resolveTargets(positional: string[]): { groups: TargetGroup[]; multi: boolean } {
  if (!positional.length) throw new CommandError('');
  if (positional[0].includes('/')) {
    const groups: TargetGroup[] = [];
    for (const a of positional) {
      const slash = a.indexOf('/');
      if (slash < 0) {
        throw new CommandError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
      }
      const kind = kindOf(a.slice(0, slash));
      const name = a.slice(slash + 1);
      const lastGroup = groups[groups.length - 1];
      if (lastGroup && lastGroup.kind === kind) lastGroup.names!.push(name);
      else groups.push({ kind, names: [name] });
    }
    return { groups, multi: new Set(groups.map((g) => g.kind)).size > 1 };
  }
  const types = positional[0].split(',').filter(Boolean);
  const names = positional.slice(1);
  for (const n of names) {
    if (n.includes('/')) {
      throw new CommandError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
    }
  }
  const kinds: Kind[] = [];
  let multi = types.length > 1;
  for (const t of types) {
    if (t === 'all') {
      kinds.push(...ALL_CATEGORY);
      multi = true;
    } else kinds.push(kindOf(t));
  }
  const unique = [...new Set(kinds)];
  return { groups: unique.map((kind) => ({ kind, names: names.length ? [...names] : undefined })), multi };
}

/** Get one object or throw kubectl's NotFound. */
export function mustGet<K extends Kind>(cluster: Cluster, kind: K, namespace: string, name: string): KindMap[K] {
  const obj = cluster.store.get(kind, KINDS[kind].namespaced ? namespace : undefined, name);
  if (!obj) throw notFound(kind, name);
  return obj;
}

/** NotFound as kubectl shows it, with the API group: `deployments.apps "web" not found`. */
export function notFound(kind: Kind, name: string): ApiError {
  return new ApiError('NotFound', `${pluralGroup(kind)} "${name}" not found`);
}

/** List objects of a kind in a namespace (or all namespaces), store order (namespace, name). */
export function listKind(cluster: Cluster, kind: Kind, namespace: string | undefined): KObject[] {
  return cluster.store.list(kind, KINDS[kind].namespaced ? namespace : undefined);
}

/** `No resources found in default namespace.` / `No resources found` (cluster-scoped or -A). */
export function noResources(kinds: Kind[], namespace: string | undefined): string {
  if (namespace === undefined || kinds.every((k) => !KINDS[k].namespaced)) return 'No resources found';
  return `No resources found in ${namespace} namespace.`;
}
