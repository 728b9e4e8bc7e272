/** Bad input: every message exactly as kubectl prints it, exit code 1, and the store untouched. */
import { describe, expect, it } from 'vitest';
import { KINDS, type Kind } from '../api/types';
import { Kubectl, splitCommandLine } from './kubectl';
import { goldenCluster } from './testing/scenario';

function snapshot(h: ReturnType<typeof goldenCluster>): string {
  return JSON.stringify([h.store.resourceVersion(), ...(Object.keys(KINDS) as Kind[]).map((k) => h.store.list(k))]);
}

const FORCE_HINT = 'See \'kubectl get --help\' for usage.';

const CASES: [string, string][] = [
  ['foo', 'error: unknown command "foo" for "kubectl"\n'],
  ['get foos', 'error: the server doesn\'t have a resource type "foos"\n'],
  ['get pods --foo', `error: unknown flag: --foo\n${FORCE_HINT}\n`],
  ['get pods -q', `error: unknown shorthand flag: 'q' in -q\n${FORCE_HINT}\n`],
  ['get pod nope', 'Error from server (NotFound): pods "nope" not found\n'],
  ['get pod crashy -A', 'error: a resource cannot be retrieved by name across all namespaces\n'],
  ['get deploy nope', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
  ['describe pod nope', 'Error from server (NotFound): pods "nope" not found\n'],
  ['get pods -o foo', 'error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml,wide\n'],
  ['get pods -l "app in (web"', 'error: unable to parse requirement: app in (web\n'],
  ['delete pod', 'error: resource(s) were provided, but no name was specified\n'],
  ['delete pod nope', 'Error from server (NotFound): pods "nope" not found\n'],
  ['delete pod crashy --cascade=sideways', 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan".\n'],
  ['scale deployment web', 'error: required flag(s) "replicas" not set\n'],
  ['scale deployment web --replicas=-1', 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n'],
  ['scale deployment nope --replicas=2', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
  ['label pod crashy run=other', "error: 'run' already has a value (crashy), and --overwrite is false\n"],
  ['label pod crashy', 'error: at least one label update is required\n'],
  ['taint nodes node-1 dedicated', 'error: unknown taint spec: dedicated\n'],
  ['taint nodes node-1 dedicated=x:Sometimes', 'error: invalid taint effect: Sometimes, unsupported taint effect\n'],
  ['taint nodes node-1 missing:NoSchedule-', 'error: taint "missing:NoSchedule" not found\n'],
  ['taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule', 'error: node control-plane already has node-role.kubernetes.io/control-plane taint(s) with same effect(s) and --overwrite is false\n'],
  ['cordon nope', 'Error from server (NotFound): nodes "nope" not found\n'],
  ['run', "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n"],
  ['run x', 'error: required flag(s) "image" not set\n'],
  ['create deployment x', 'error: required flag(s) "image" not set\n'],
  ['apply -f missing.yaml', 'error: the path "missing.yaml" does not exist\n'],
  ['apply', 'error: must specify one of -f and -k\n'],
  ['exec crashy ls', "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"],
  ['exec crashy', 'error: you must specify at least one command for the container\n'],
  ['exec crashy -- ls', 'error: unable to upgrade connection: container not found ("app")\n'],
  ['exec pi-5xq7z -- ls', 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n'],
  ['logs big', 'Error from server (BadRequest): container "big" in pod "big" is waiting to start: ContainerCreating\n'],
  ['logs typo', 'Error from server (BadRequest): container "typo" in pod "typo" is waiting to start: ImagePullBackOff\n'],
  ['logs crashy -c nope', 'Error from server (BadRequest): container nope is not valid for pod crashy\n'],
  ['top pods', 'error: Metrics API not available\n'],
  ['rollout pause deployment nope', 'Error from server (NotFound): deployments.apps "nope" not found\n'],
  ['rollout resume deployment web', 'error: deployments.apps "web" is not paused\n'],
  ['rollout undo deployment web', 'error: no rollout history found for deployment "web"\n'],
  ['rollout frobnicate deployment web', 'error: unknown command "frobnicate" for "kubectl rollout"\n'],
  // The filters short-circuit: crashy is refused for its emptyDir before the controller check.
  ['drain node-1', 'error: unable to drain node "node-1" due to error: [cannot delete Pods with local storage (use --delete-emptydir-data to override): default/crashy, cannot delete Pods that declare no controller (use --force to override): default/init-demo, default/typo], continuing command...\nThere are pending nodes to be drained:\n node-1\ncannot delete Pods with local storage (use --delete-emptydir-data to override): default/crashy\ncannot delete Pods that declare no controller (use --force to override): default/init-demo, default/typo\n'],
];

describe('bad input', () => {
  it.each(CASES)('kubectl %s', (line, stderr) => {
    const h = goldenCluster();
    const before = snapshot(h);
    const r = new Kubectl(h.asCluster()).run(splitCommandLine(line));
    expect(r.stderr).toBe(stderr);
    expect(r.exitCode).toBe(1);
    if (!line.startsWith('drain')) {
      expect(r.stdout).toBe('');
      expect(snapshot(h)).toBe(before);
    }
  });

  it('drain cordons the node before refusing, as kubectl does, and evicts nothing', () => {
    const h = goldenCluster();
    const pods = JSON.stringify(h.store.list('Pod'));
    const r = new Kubectl(h.asCluster()).run(['drain', 'node-1']);
    expect(r.stdout).toBe('node/node-1 cordoned\n');
    expect(h.store.get('Node', undefined, 'node-1')!.spec!.unschedulable).toBe(true);
    expect(JSON.stringify(h.store.list('Pod'))).toBe(pods);
  });

  it('-w is refused with a reason', () => {
    const r = new Kubectl(goldenCluster().asCluster()).run(['get', 'pods', '-w']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: --watch \(-w\) is not supported/);
  });
});
