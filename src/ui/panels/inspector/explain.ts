import type { SchedulingExplanation as SchedulerDecision } from '../../../engine/scheduler/scheduler';
/**
 * What the scheduler decided for one pod, as the UI receives it (the engine's
 * `scheduler.explain(ns, pod)` adapted by the store): per-node Filter results and per-plugin Scores.
 */
export interface SchedulingExplanation {
  /** The node the pod was bound to; absent while Pending. */
  chosenNode?: string;
  /** The scheduler's summary, e.g. `0/4 nodes are available: 1 node(s) had untolerated taint …`. */
  message?: string;
  nodes: NodeVerdict[];
}

/** One node's verdict in the last scheduling cycle. */
export interface NodeVerdict {
  node: string;
  /** True when every Filter plugin passed. */
  feasible: boolean;
  /** Filter failures: plugin name and its reason string, e.g. `{plugin: 'NodeResourcesFit', reason: 'Insufficient cpu'}`. */
  failures?: { plugin: string; reason: string }[];
  /** Normalized, weighted score per Score plugin (feasible nodes only). */
  scores?: Record<string, number>;
  /** Sum of the weighted scores. */
  total?: number;
}

/**
 * The scheduler's record of its last decision about a pod (`Scheduler.explain`), in the shape the
 * Inspector draws: the chosen node, and per node its filter verdict and weighted scores.
 */
export function fromSchedulerDecision(d: SchedulerDecision): SchedulingExplanation {
  return {
    ...(d.result === 'Scheduled' && d.node ? { chosenNode: d.node } : {}),
    ...(d.message ? { message: d.message } : {}),
    nodes: d.nodes.map((n) => {
      const f = n.filter;
      return {
        node: n.node,
        feasible: f === 'passed',
        ...(f === 'passed' ? {} : { failures: (f.reasons.length ? f.reasons : [String(f.code)]).map((reason) => ({ plugin: f.plugin, reason })) }),
        ...(n.scores ? { scores: Object.fromEntries(n.scores.map((s) => [s.plugin, s.weighted])) } : {}),
        ...(n.total !== undefined ? { total: n.total } : {}),
      };
    }),
  };
}

/**
 * The "why" in plain words, as short sentences: why the pod is on its node, or why it is Pending.
 *
 * @example
 * explainInWords({ chosenNode: 'node-2', nodes: [...] })
 * // ['The scheduler placed it on node-2: it passed every filter and scored highest (187).', …]
 */
export function explainInWords(x: SchedulingExplanation): string[] {
  const out: string[] = [];
  const feasible = x.nodes.filter((n) => n.feasible);
  const infeasible = x.nodes.filter((n) => !n.feasible);
  if (x.chosenNode) {
    const chosen = x.nodes.find((n) => n.node === x.chosenNode);
    const best = [...feasible].sort((a, b) => (b.total ?? 0) - (a.total ?? 0));
    if (chosen?.total !== undefined && feasible.length > 1) {
      const tied = best.filter((n) => n.total === chosen.total).length;
      out.push(
        tied > 1
          ? `The scheduler placed it on ${x.chosenNode}: ${tied} nodes tied for the highest score (${chosen.total}) and the tie was broken at random.`
          : `The scheduler placed it on ${x.chosenNode}: it passed every filter and scored highest (${chosen.total}).`,
      );
      const top = topPlugins(chosen);
      if (top) out.push(`Biggest contributions on ${x.chosenNode}: ${top}.`);
    } else if (feasible.length === 1) {
      out.push(`The scheduler placed it on ${x.chosenNode}: it was the only node that passed every filter.`);
    } else {
      out.push(`The pod runs on ${x.chosenNode}.`);
    }
  } else {
    out.push(
      feasible.length === 0
        ? `It is Pending: none of the ${x.nodes.length} node${x.nodes.length === 1 ? '' : 's'} passed the scheduler's filters.`
        : `It is Pending: ${feasible.length} node${feasible.length === 1 ? '' : 's'} would fit, waiting for the next scheduling attempt.`,
    );
  }
  const reasons = new Map<string, number>();
  for (const n of infeasible) for (const f of n.failures ?? []) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
  for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    out.push(`${count} node${count === 1 ? '' : 's'} ruled out: ${reason}.`);
  }
  if (x.message) out.push(`Scheduler message: ${x.message}`);
  return out;
}

function topPlugins(n: NodeVerdict): string {
  return Object.entries(n.scores ?? {})
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([p, s]) => `${p} ${s}`)
    .join(', ');
}

/** Plugin names that appear in any node's scores, sorted, for the table's columns. */
export function scoreColumns(x: SchedulingExplanation): string[] {
  const set = new Set<string>();
  for (const n of x.nodes) for (const p of Object.keys(n.scores ?? {})) set.add(p);
  return [...set].sort();
}
