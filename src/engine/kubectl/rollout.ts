/**
 * `kubectl rollout status|history|undo|restart|pause|resume` for Deployments. These only edit the
 * Deployment object (or read it and its ReplicaSets); the deployment controller does the rollout.
 */
import type { Deployment, ReplicaSet } from '../api/types';
import { Clock } from '../clock';
import type { FlagSpecs, ParsedArgs } from './args';
import { flagString } from './args';
import { CommandError, type Invocation, mustGet, namespaceOf, resolveTargets } from './common';
import { templateKey } from './describe';
import { quoted } from './mutate';
import { tabwrite } from './tabwriter';

export const ROLLOUT_FLAGS: FlagSpecs = {
  'to-revision': { type: 'int' },
  revision: { type: 'int' },
  watch: { type: 'bool', short: 'w' },
  timeout: { type: 'string' },
  selector: { type: 'string', short: 'l' },
  'dry-run': { type: 'string' },
};

/** The annotation the deployment controller numbers ReplicaSets with. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The annotation `rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

function ownedReplicaSets(inv: Invocation, d: Deployment): ReplicaSet[] {
  return inv.cluster.store.list('ReplicaSet', d.metadata!.namespace).filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata!.uid && r.controller));
}

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0');

/**
 * The line `kubectl rollout status` prints for a Deployment's current state (polymorphichelpers'
 * DeploymentStatusViewer), and whether the rollout is done.
 */
export function deploymentRolloutStatus(d: Deployment): { message: string; done: boolean; error?: string } {
  const s = d.status ?? {};
  const name = d.metadata!.name;
  const replicas = d.spec?.replicas ?? 1;
  if ((d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const progressing = s.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `error: deployment "${name}" exceeded its progress deadline` };
    if ((s.updatedReplicas ?? 0) < replicas) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${s.updatedReplicas ?? 0} out of ${replicas} new replicas have been updated...`, done: false };
    }
    if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...`, done: false };
    }
    if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available...`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...', done: false };
}

/**
 * Run a rollout subcommand. Why we differ: `rollout status` prints the current state once instead of
 * watching (virtual time does not move inside a command); run it again after advancing time.
 */
export function runRollout(inv: Invocation, p: ParsedArgs): void {
  const [sub, ...rest] = p.positional;
  const subs = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];
  if (!sub) {
    inv.out.out('Manage the rollout of one or many resources.\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n');
    return;
  }
  if (!subs.includes(sub)) throw new CommandError(`error: unknown command "${sub}" for "kubectl rollout"`);
  if (!rest.length) {
    throw new CommandError(`error: required resource not specified\nSee 'kubectl rollout ${sub} -h' for help and examples`);
  }
  const { groups } = resolveTargets(rest);
  const ns = namespaceOf(p);
  for (const g of groups) {
    for (const name of g.names ?? []) {
      try {
        if (g.kind !== 'Deployment') throw new CommandError(`error: no ${sub === 'status' ? 'status viewer' : sub === 'history' ? 'history viewer' : 'rollbacker'} has been implemented for {"${g.kind === 'DaemonSet' ? 'apps' : ''}" "${g.kind}"}`);
        rolloutDeployment(inv, p, sub, mustGet(inv.cluster, 'Deployment', ns, name));
      } catch (e) {
        inv.out.fail(e);
      }
    }
    if (!g.names) inv.out.fail(`error: resource(s) were provided, but no name was specified`);
  }
}

function rolloutDeployment(inv: Invocation, p: ParsedArgs, sub: string, d: Deployment): void {
  const { cluster, out, now } = inv;
  const id = `deployment.apps/${d.metadata!.name}`;
  switch (sub) {
    case 'status': {
      const st = deploymentRolloutStatus(d);
      if (st.error) throw new CommandError(st.error);
      out.out(st.message);
      return;
    }
    case 'pause':
      if (d.spec?.paused) throw new CommandError(`error: ${quoted('Deployment', d.metadata!.name!)} is already paused`);
      cluster.api.update('Deployment', { ...d, spec: { ...d.spec!, paused: true } });
      out.out(`${id} paused`);
      return;
    case 'resume':
      if (!d.spec?.paused) throw new CommandError(`error: ${quoted('Deployment', d.metadata!.name!)} is not paused`);
      {
        const { paused: _p, ...spec } = d.spec;
        cluster.api.update('Deployment', { ...d, spec });
      }
      out.out(`${id} resumed`);
      return;
    case 'restart': {
      if (d.spec?.paused) throw new CommandError(`error: ${quoted('Deployment', d.metadata!.name!)} can't restart paused deployment (run rollout resume first)`);
      const t = d.spec!.template;
      const template = { ...t, metadata: { ...t.metadata, annotations: { ...t.metadata?.annotations, [RESTARTED_AT_ANNOTATION]: Clock.rfc3339(now) } } };
      cluster.api.update('Deployment', { ...d, spec: { ...d.spec!, template } });
      out.out(`${id} restarted`);
      return;
    }
    case 'history': {
      const rss = ownedReplicaSets(inv, d).sort((a, b) => revisionOf(a) - revisionOf(b));
      if (!rss.length) {
        out.out(`No rollout history found.`);
        return;
      }
      const wanted = flagString(p, 'revision');
      if (wanted !== undefined && wanted !== '0') {
        const rs = rss.find((r) => revisionOf(r) === Number(wanted));
        if (!rs) throw new CommandError(`error: unable to find the specified revision`);
        out.out(`${id} with revision #${wanted}\nPod Template:\n  Labels:\t${Object.entries(rs.spec?.template?.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}\n  Containers:\n${(rs.spec?.template?.spec?.containers ?? []).map((c) => `   ${c.name}:\n    Image:\t${c.image}`).join('\n')}\n`);
        return;
      }
      let text = `${id} \nREVISION\tCHANGE-CAUSE\n`;
      for (const rs of rss) text += `${revisionOf(rs)}\t${rs.metadata?.annotations?.['kubernetes.io/change-cause'] ?? '<none>'}\n`;
      out.out(tabwrite(text, 0, 2) + '\n');
      return;
    }
    case 'undo': {
      if (d.spec?.paused) throw new CommandError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
      const rss = ownedReplicaSets(inv, d).sort((a, b) => revisionOf(a) - revisionOf(b));
      const toText = flagString(p, 'to-revision');
      const to = toText !== undefined ? Number(toText) : 0;
      let target: ReplicaSet | undefined;
      if (to > 0) {
        target = rss.find((r) => revisionOf(r) === to);
        if (!target) throw new CommandError(`error: unable to find specified revision ${to} in history`);
      } else {
        // The previous revision: the highest one below the current (latest) revision.
        if (rss.length < 2) throw new CommandError(`error: no rollout history found for deployment "${d.metadata!.name}"`);
        target = rss[rss.length - 2];
      }
      if (templateKey(target.spec?.template) === templateKey(d.spec?.template)) {
        out.out(`${id} skipped rollback (current template already matches revision ${revisionOf(target)})`);
        return;
      }
      const tpl = target.spec!.template!;
      const labels = { ...tpl.metadata?.labels };
      delete labels['pod-template-hash'];
      cluster.api.update('Deployment', { ...d, spec: { ...d.spec!, template: { ...tpl, metadata: { ...tpl.metadata, labels } } } });
      out.out(`${id} rolled back`);
      return;
    }
  }
}
