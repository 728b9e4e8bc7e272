/**
 * `kubectl rollout status|history|undo|restart|pause|resume` for Deployments, through the deployment
 * controller's client-side helpers (controllers/rollout.ts); the controller does the rollout itself.
 */
import type { Deployment } from '../api/types';
import {
  formatRolloutHistory, rolloutHistory, rolloutRestart, rolloutSetPaused, rolloutStatus, rolloutUndo,
} from '../controllers/rollout';
import type { FlagSpecs, ParsedArgs } from './args';
import { flagString } from './args';
import { CommandError, type Invocation, mustGet, namespaceOf, resolveTargets } from './common';
import { describeReplicaSet } from './describe';

export const ROLLOUT_FLAGS: FlagSpecs = {
  'to-revision': { type: 'int' },
  revision: { type: 'int' },
  watch: { type: 'bool', short: 'w' },
  timeout: { type: 'string' },
  selector: { type: 'string', short: 'l' },
  'dry-run': { type: 'string' },
};

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
  const { cluster, out } = inv;
  const id = `deployment.apps/${d.metadata!.name}`;
  switch (sub) {
    case 'status':
      out.out(rolloutStatus(d).text);
      return;
    case 'pause':
    case 'resume':
      out.out(`${id} ${rolloutSetPaused(cluster, d, sub === 'pause')}`);
      return;
    case 'restart':
      out.out(`${id} ${rolloutRestart(cluster, d)}`);
      return;
    case 'history': {
      const history = rolloutHistory(cluster, d);
      const wanted = Number(flagString(p, 'revision') ?? '0');
      if (wanted > 0) {
        const h = history.find((x) => x.revision === wanted);
        if (!h) throw new CommandError(`error: unable to find the specified revision`);
        // kubectl prints the revision's pod template as describe does.
        const text = describeReplicaSet(h.replicaSet, [], [], inv.now);
        out.out(`${id} with revision #${wanted}\n${text.slice(text.indexOf('Pod Template:')).replace(/Events:.*\n$/s, '')}`);
        return;
      }
      if (!history.length) {
        out.out('No rollout history found.');
        return;
      }
      out.out(`${id} \n${formatRolloutHistory(history)}\n`);
      return;
    }
    case 'undo':
      out.out(`${id} ${rolloutUndo(cluster, d, Number(flagString(p, 'to-revision') ?? '0'))}`);
      return;
  }
}
