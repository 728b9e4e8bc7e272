import type { Container, ContainerStatus, Pod } from '../api/types';

/** Pod phases (v1.PodPhase). */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** An init container with `restartPolicy: Always` is a sidecar (podutil.IsRestartableInitContainer). */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function statusOf(info: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  for (const s of info) if (s.name === name) return s;
  return undefined;
}

/**
 * The pod phase from its container statuses, as the kubelet's `getPhase` computes it
 * (pkg/kubelet/kubelet_pods.go, v1.34 with the ContainerRestartRules gate off).
 *
 * @param info init and regular container statuses together
 * @param podIsTerminal the kubelet has decided the pod is done (its containers will not restart)
 * @param podHasInitialized a regular container has started before (sidecars restarting do not
 *   send an initialized pod back to Pending)
 *
 * @example getPhase(pod, pod.status.containerStatuses ?? [], false, false) // 'Running'
 */
export function getPhase(pod: Pod, info: readonly ContainerStatus[], podIsTerminal: boolean, podHasInitialized: boolean): PodPhase {
  const spec = pod.spec!;
  const initContainers = spec.initContainers ?? [];
  let pendingRestartableInit = 0;
  let pendingRegularInit = 0;
  let failedInitialization = 0;

  for (const c of initContainers) {
    if (isSidecar(c)) continue;
    const s = statusOf(info, c.name);
    if (!s) {
      pendingRegularInit++;
      continue;
    }
    const st = s.state ?? {};
    if (st.running) pendingRegularInit++;
    else if (st.terminated) {
      if (st.terminated.exitCode !== 0) failedInitialization++;
    } else if (st.waiting) {
      const last = s.lastState?.terminated;
      if (last) {
        if (last.exitCode !== 0) failedInitialization++;
      } else pendingRegularInit++;
    } else pendingRegularInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;

  for (const c of initContainers) {
    if (!isSidecar(c)) continue;
    const s = statusOf(info, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    const st = s.state ?? {};
    if (st.running) {
      if (!s.started) pendingRestartableInit++;
      running++;
    } else if (st.terminated) {
      // A stopped sidecar does not count for the phase.
    } else if (st.waiting) {
      if (!s.lastState?.terminated) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }

  for (const c of spec.containers) {
    const s = statusOf(info, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    const st = s.state ?? {};
    if (st.running) running++;
    else if (st.terminated) {
      stopped++;
      if (st.terminated.exitCode === 0) succeeded++;
    } else if (st.waiting) {
      // Waiting after a termination is a crash loop: the container counts as stopped.
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  const restartPolicy = spec.restartPolicy ?? 'Always';
  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** True once any regular container has started (kubecontainer.HasAnyRegularContainerStarted). */
export function hasAnyRegularContainerStarted(pod: Pod, info: readonly ContainerStatus[]): boolean {
  for (const c of pod.spec!.containers) {
    const s = statusOf(info, c.name);
    if (!s) continue;
    if (s.state?.running || s.state?.terminated || s.lastState?.terminated) return true;
  }
  return false;
}
