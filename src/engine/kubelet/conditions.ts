import type { ContainerStatus, Pod, PodCondition } from '../api/types';
import { hasAnyRegularContainerStarted, isSidecar, type PodPhase } from './phase';

/** The conditions the kubelet owns (kubetypes.PodConditionByKubelet); others are preserved as they are. */
export const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/** A condition as v1.34 writes it: PodObservedGenerationTracking (beta, on) adds observedGeneration. */
export type PodConditionV134 = PodCondition & { observedGeneration?: number };

interface Verdict {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function statusOf(info: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  for (const s of info) if (s.name === name) return s;
  return undefined;
}

function list(names: string[]): string {
  // Go's %s of a []string: [a b]
  return `[${names.join(' ')}]`;
}

/** ContainersReady (status.GenerateContainersReadyCondition): every regular container and sidecar ready. */
export function containersReady(pod: Pod, info: readonly ContainerStatus[] | undefined, phase: PodPhase): Verdict {
  if (!info) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string) => {
    const s = statusOf(info, name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of pod.spec?.initContainers ?? []) if (isSidecar(c)) check(c.name);
  for (const c of pod.spec!.containers) check(c.name);
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'False', reason: 'PodCompleted' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${list(unready)}`);
  if (messages.length) return { status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { status: 'True' };
}

/** Ready (status.GeneratePodReadyCondition): ContainersReady plus every readiness gate's condition True. */
export function podReady(pod: Pod, conditions: readonly PodCondition[], info: readonly ContainerStatus[] | undefined, phase: PodPhase): Verdict {
  const cr = containersReady(pod, info, phase);
  if (cr.status !== 'True') return cr;
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { status: 'True' };
}

/** Initialized (status.GeneratePodInitializedCondition): regular init containers exited 0, sidecars started. */
export function podInitialized(pod: Pod, info: readonly ContainerStatus[] | undefined, phase: PodPhase): Verdict {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return { status: 'True' };
  if (!info) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusOf(info, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = isSidecar(c) ? s.started === true : s.state?.terminated?.exitCode === 0;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(pod, info)) return { status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${list(incomplete)}`);
  if (messages.length) return { status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') };
  return { status: 'True' };
}

/** What {@link podConditions} needs besides the pod. */
export interface ConditionInputs {
  /** Init and regular container statuses (undefined: the runtime knows nothing yet). */
  statuses: readonly ContainerStatus[] | undefined;
  phase: PodPhase;
  /** PodReadyToStartContainers: the sandbox exists and its network is configured. */
  sandboxReady: boolean;
  /** The API's current conditions: non-kubelet ones are kept, transition times carried over. */
  old: readonly PodCondition[];
  /** RFC 3339 now, for lastTransitionTime of a condition whose status changed. */
  now: string;
}

/**
 * The pod's conditions as the kubelet writes them (generateAPIPodStatus): the conditions it does
 * not own first (e.g. DisruptionTarget, readiness gates), then PodReadyToStartContainers,
 * Initialized, Ready, ContainersReady, PodScheduled — the order the v1.34 kubelet appends them,
 * so `kubectl describe` lists them in that order. The scheduler's PodScheduled is kept as it is.
 *
 * @example podConditions(pod, {statuses, phase: 'Running', sandboxReady: true, old: pod.status.conditions ?? [], now})
 */
export function podConditions(pod: Pod, inp: ConditionInputs): PodConditionV134[] {
  const out: PodConditionV134[] = [];
  for (const c of inp.old) if (!KUBELET_CONDITIONS.has(c.type)) out.push(c);
  const gen = pod.metadata?.generation;
  const make = (type: string, v: Verdict): PodConditionV134 => {
    const prev = inp.old.find((c) => c.type === type);
    const cond: PodConditionV134 = {
      type,
      status: v.status,
      ...(gen !== undefined ? { observedGeneration: gen } : {}),
      // Why null: the real API writes `lastProbeTime: null` for kubelet conditions, and kubectl shows it.
      lastProbeTime: null as unknown as string,
      lastTransitionTime: prev && prev.status === v.status && prev.lastTransitionTime ? prev.lastTransitionTime : inp.now,
    };
    if (v.reason) cond.reason = v.reason;
    if (v.message) cond.message = v.message;
    return cond;
  };
  out.push(make('PodReadyToStartContainers', { status: inp.sandboxReady ? 'True' : 'False' }));
  out.push(make('Initialized', podInitialized(pod, inp.statuses, inp.phase)));
  out.push(make('Ready', podReady(pod, out, inp.statuses, inp.phase)));
  out.push(make('ContainersReady', containersReady(pod, inp.statuses, inp.phase)));
  const scheduled = inp.old.find((c) => c.type === 'PodScheduled' && c.status === 'True');
  out.push(scheduled ?? make('PodScheduled', { status: 'True' }));
  return out;
}
