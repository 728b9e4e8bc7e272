import type { NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import type { Pod } from '../../api/types';
import {
  MAX_NODE_SCORE,
  StateKey,
  type CycleState,
  type FilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { defaultNormalizeScore } from '../framework/normalize';
import { Code, constStatus, type Result } from '../framework/status';

/** Name in the plugin registry (names.NodeAffinity). */
export const NAME = 'NodeAffinity';
/** Filter reason when `nodeSelector` or the required node affinity does not match. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

const REJECT = constStatus(NAME, Code.UnschedulableAndUnresolvable, ERR_REASON_POD);
const SKIP = constStatus(NAME, Code.Skip);

type NodeMatcher = (node: NodeInfo) => boolean;

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; a malformed value matches nothing.
      if (!has || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) return false;
      const l = Number(value);
      const v = Number(values[0]);
      return r.operator === 'Gt' ? l > v : l < v;
    }
    default:
      return false;
  }
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A requirement that labels.NewRequirement would refuse (bad key, or bad In/NotIn value): its term matches nothing. */
function invalid(r: NodeSelectorRequirement): boolean {
  if (!LABEL_KEY.test(r.key)) return true;
  if (r.operator === 'In' || r.operator === 'NotIn') return (r.values ?? []).some((v) => v.length > 63 || !LABEL_VALUE.test(v));
  return false;
}

/** One NodeSelectorTerm: its expressions (on labels) and fields (metadata.name) are ANDed; an empty term matches nothing. */
export function compileTerm(term: NodeSelectorTerm): NodeMatcher {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return () => false;
  if (exprs.some(invalid)) return () => false;
  // A field selector on anything but metadata.name is invalid: the term matches nothing.
  if (fields.some((f) => f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn'))) return () => false;
  return (node) => {
    for (const e of exprs) if (!requirementMatches(e, node.labels[e.key])) return false;
    for (const f of fields) if (!requirementMatches(f, node.name)) return false;
    return true;
  };
}

/** The required part of a pod's node placement: `spec.nodeSelector` AND any of the required affinity terms. */
export function requiredNodeMatcher(pod: Pod): NodeMatcher | undefined {
  const selector = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const hasSelector = selector !== undefined && Object.keys(selector).length > 0;
  if (!hasSelector && !required) return undefined;
  const terms = required ? required.nodeSelectorTerms.map(compileTerm) : undefined;
  return (node) => {
    if (hasSelector) {
      for (const k in selector) if (node.labels[k] !== selector[k]) return false;
    }
    if (terms) {
      for (const t of terms) if (t(node)) return true;
      return false;
    }
    return true;
  };
}

interface WeightedMatcher {
  weight: number;
  matches: NodeMatcher;
}

const PRE_FILTER_KEY = new StateKey<NodeMatcher>('PreFilter' + NAME);
const PRE_SCORE_KEY = new StateKey<WeightedMatcher[]>('PreScore' + NAME);

/**
 * Filter: `nodeSelector` and requiredDuringSchedulingIgnoredDuringExecution terms.
 * Score: the sum of the weights of the matching preferred terms, normalised to 0–100.
 * Why simplified: no PreFilterResult narrowing by `metadata.name`, and no profile-level addedAffinity.
 */
export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  preFilter(state: CycleState, pod: Pod): Result {
    const m = requiredNodeMatcher(pod);
    if (!m) return SKIP;
    state.write(PRE_FILTER_KEY, m);
    return null;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Result {
    let m = state.read(PRE_FILTER_KEY);
    if (!m) {
      m = requiredNodeMatcher(pod);
      if (!m) return null;
    }
    return m(node) ? null : REJECT;
  }

  preScore(state: CycleState, pod: Pod): Result {
    const preferred: PreferredSchedulingTerm[] | undefined = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    // Most pods have no preferred terms: skip without allocating.
    if (!preferred || preferred.length === 0) return SKIP;
    const terms = preferred.filter((t) => t.weight !== 0).map((t) => ({ weight: t.weight, matches: compileTerm(t.preference) }));
    if (terms.length === 0) return SKIP;
    state.write(PRE_SCORE_KEY, terms);
    return null;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    let sum = 0;
    for (const t of state.read(PRE_SCORE_KEY) ?? []) if (t.matches(node)) sum += t.weight;
    return sum;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: Int32Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}
