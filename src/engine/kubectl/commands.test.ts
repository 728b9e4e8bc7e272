/** Commands that change the cluster: their output lines and their effect on the store. */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Cluster } from '../cluster';
import { Kubectl, splitCommandLine } from './kubectl';
import { FORCE_DELETE_WARNING, LAST_APPLIED } from './mutate';
import { goldenCluster, NOW } from './testing/scenario';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  containers:
  - name: hello
    image: nginx:1.27
`;
const DEPLOY = (replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: ${image}
`;

function setup(files: Record<string, string> = {}) {
  const h = goldenCluster();
  const k = new Kubectl(h.asCluster(), (p) => files[p]);
  // The two streams, each on its own (the interleaved `combined` text has its own tests).
  const run = (line: string, stdin?: string) => {
    const r = k.run(splitCommandLine(line), stdin);
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  };
  return { h, k, run };
}

describe('apply', () => {
  it('creates, then reports unchanged, then configured, keeping the last-applied annotation', () => {
    const files: Record<string, string> = { 'app.yaml': `${POD}---\n${DEPLOY(2)}` };
    const { h, run } = setup(files);
    expect(run('apply -f app.yaml')).toEqual({ stdout: 'pod/hello created\ndeployment.apps/api created\n', stderr: '', exitCode: 0 });
    const d = h.store.get('Deployment', 'default', 'api')!;
    expect(JSON.parse(d.metadata!.annotations![LAST_APPLIED])).toMatchObject({ kind: 'Deployment', spec: { replicas: 2 } });
    expect(run('apply -f app.yaml').stdout).toBe('pod/hello unchanged\ndeployment.apps/api unchanged\n');
    files['app.yaml'] = DEPLOY(5, 'nginx:1.28');
    expect(run('apply -f app.yaml').stdout).toBe('deployment.apps/api configured\n');
    const after = h.store.get('Deployment', 'default', 'api')!;
    expect(after.spec!.replicas).toBe(5);
    expect(after.spec!.template.spec!.containers[0].image).toBe('nginx:1.28');
    expect(after.metadata!.generation).toBe(2);
  });

  it('three-way merge: keeps fields others wrote, drops fields removed from the manifest', () => {
    const files: Record<string, string> = { 'p.yaml': POD.replace('    app: hello\n', '    app: hello\n    tier: fe\n') };
    const { h, run } = setup(files);
    run('apply -f p.yaml');
    run('label pod hello owner=ops');
    files['p.yaml'] = POD;
    expect(run('apply -f p.yaml').stdout).toBe('pod/hello configured\n');
    expect(h.store.get('Pod', 'default', 'hello')!.metadata!.labels).toEqual({ app: 'hello', owner: 'ops' });
  });

  it('reads stdin with -f -', () => {
    const { h, run } = setup();
    expect(run('apply -f -', POD).stdout).toBe('pod/hello created\n');
    expect(h.store.get('Pod', 'default', 'hello')).toBeDefined();
  });

  it('a bad document prints its error, the others still apply, and the exit code is 1', () => {
    const bad = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: x\n    imagee: nginx\n`;
    const { h, run } = setup({ 'm.yaml': `${bad}---\n${POD}` });
    const r = run('apply -f m.yaml');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('pod/hello created\n');
    expect(r.stderr).toContain('unknown field "spec.containers[0].imagee"');
    expect(h.store.get('Pod', 'default', 'bad')).toBeUndefined();
  });

  it('refuses a namespace that contradicts -n', () => {
    const { run } = setup({ 'p.yaml': POD.replace('  name: hello\n', '  name: hello\n  namespace: kube-system\n') });
    expect(run('apply -f p.yaml -n default').stderr).toBe(
      `error: the namespace from the provided object "kube-system" does not match the namespace "default". You must pass '--namespace=kube-system' to perform this operation.\n`,
    );
  });
});

describe('create and run', () => {
  it('create -f creates, and a second time says AlreadyExists', () => {
    const { run } = setup({ 'p.yaml': POD });
    expect(run('create -f p.yaml').stdout).toBe('pod/hello created\n');
    const again = run('create -f p.yaml');
    expect(again.stderr).toBe('Error from server (AlreadyExists): pods "hello" already exists\n');
    expect(again.exitCode).toBe(1);
  });

  it('create deployment builds the object kubectl builds', () => {
    const { h, run } = setup();
    expect(run('create deployment shop --image=registry.example.com/team/shop:2.1 --replicas=3 --port=8080').stdout).toBe('deployment.apps/shop created\n');
    const d = h.store.get('Deployment', 'default', 'shop')!;
    expect(d.spec!.replicas).toBe(3);
    expect(d.spec!.selector).toEqual({ matchLabels: { app: 'shop' } });
    expect(d.spec!.template.metadata!.labels).toEqual({ app: 'shop' });
    expect(d.spec!.template.spec!.containers[0]).toMatchObject({ name: 'shop', image: 'registry.example.com/team/shop:2.1', ports: [{ containerPort: 8080 }] });
  });

  it('create namespace, then objects can go in it', () => {
    const { h, run } = setup();
    expect(run('create namespace shop').stdout).toBe('namespace/shop created\n');
    expect(run('run web --image=nginx -n shop').stdout).toBe('pod/web created\n');
    expect(h.store.get('Pod', 'shop', 'web')!.metadata!.labels).toEqual({ run: 'web' });
  });

  it('run makes a bare pod labelled run=NAME with the args after --', () => {
    const { h, run } = setup();
    expect(run('run box --image=busybox --restart=Never -- sleep 3600').stdout).toBe('pod/box created\n');
    const p = h.store.get('Pod', 'default', 'box')!;
    expect(p.spec!.restartPolicy).toBe('Never');
    expect(p.spec!.containers[0]).toMatchObject({ name: 'box', image: 'busybox', args: ['sleep', '3600'] });
    expect(p.metadata!.ownerReferences).toBeUndefined();
  });
});

describe('generators with -o', () => {
  it('--dry-run=client -o yaml prints the manifest and stores nothing', () => {
    const { h, run } = setup();
    const before = h.store.resourceVersion();
    const r = run('run web --image=nginx --dry-run=client -o yaml');
    expect(parseYaml(r.stdout)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: { run: 'web' }, name: 'web' }, spec: { containers: [{ image: 'nginx', name: 'web', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' }, status: {} });
    expect(h.store.resourceVersion()).toBe(before);
  });

  it('-o name creates and prints kind/name', () => {
    const { h, run } = setup();
    expect(run('create deployment shop --image=nginx -o name').stdout).toBe('deployment.apps/shop\n');
    expect(h.store.get('Deployment', 'default', 'shop')).toBeDefined();
  });
});

describe('delete', () => {
  it('a scheduled pod gets a deletionTimestamp and shows Terminating (the clock does not move in a command)', () => {
    const { h, run } = setup();
    expect(run('delete pod crashy')).toEqual({ stdout: 'pod "crashy" deleted\n', stderr: '', exitCode: 0 });
    expect(h.store.get('Pod', 'default', 'crashy')!.metadata!.deletionTimestamp).toBe(h.ts(NOW + 30_000));
    expect(run('get pod crashy').stdout).toContain('Terminating');
  });

  it('--force --grace-period=0 warns and removes at once', () => {
    const { h, run } = setup();
    expect(run('delete pod crashy --force --grace-period=0')).toEqual({ stdout: 'pod "crashy" force deleted\n', stderr: `${FORCE_DELETE_WARNING}\n`, exitCode: 0 });
    expect(h.store.get('Pod', 'default', 'crashy')).toBeUndefined();
  });

  it('by label selector, by --all, and NotFound for the missing ones while the others go', () => {
    const { h, run } = setup();
    expect(run('delete pods -l run=big').stdout).toBe('pod "big" deleted\n');
    const r = run('delete pod typo nope');
    expect(r.stdout).toBe('pod "typo" deleted\n');
    expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(r.exitCode).toBe(1);
    expect(run('delete pods -l app=nothing').stdout).toBe('No resources found\n');
    run('delete svc --all');
    expect(h.store.list('Service', 'default')).toEqual([]);
  });

  it('--cascade=orphan asks the garbage collector to orphan the dependents', () => {
    const { h, run } = setup();
    expect(run('delete deployment web --cascade=orphan').stdout).toBe('deployment.apps "web" deleted\n');
    expect(h.store.get('Deployment', 'default', 'web')!.metadata!.finalizers).toContain('orphan');
  });
});

describe('scale, label, annotate, taint, cordon', () => {
  it('scale', () => {
    const { h, run } = setup();
    expect(run('scale deployment/web --replicas=5').stdout).toBe('deployment.apps/web scaled\n');
    expect(h.store.get('Deployment', 'default', 'web')!.spec!.replicas).toBe(5);
    expect(run('scale rs web-7d9c4b8f6 --replicas=0').stdout).toBe('replicaset.apps/web-7d9c4b8f6 scaled\n');
  });

  it('label with --overwrite and key-', () => {
    const { h, run } = setup();
    expect(run('label pod crashy tier=fe').stdout).toBe('pod/crashy labeled\n');
    expect(run('label pod crashy tier=fe').stdout).toBe('pod/crashy not labeled\n');
    expect(run('label pod crashy tier=be --overwrite').stdout).toBe('pod/crashy labeled\n');
    expect(run('label pod crashy tier-').stdout).toBe('pod/crashy unlabeled\n');
    expect(h.store.get('Pod', 'default', 'crashy')!.metadata!.labels).toEqual({ run: 'crashy' });
    expect(run('label nodes -l kubernetes.io/hostname=node-2 zone=b').stdout).toBe('node/node-2 labeled\n');
  });

  it('annotate', () => {
    const { h, run } = setup();
    expect(run("annotate deployment web kubernetes.io/change-cause='bump image'").stdout).toBe('deployment.apps/web annotated\n');
    expect(h.store.get('Deployment', 'default', 'web')!.metadata!.annotations!['kubernetes.io/change-cause']).toBe('bump image');
    expect(run('annotate pod crashy note=other').stderr).toBe("error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (fails on purpose)\n");
  });

  it('taint adds (NoExecute with timeAdded), overwrites and removes', () => {
    const { h, run } = setup();
    expect(run('taint nodes node-1 dedicated=db:NoExecute').stdout).toBe('node/node-1 tainted\n');
    expect(h.store.get('Node', undefined, 'node-1')!.spec!.taints).toEqual([{ key: 'dedicated', value: 'db', effect: 'NoExecute', timeAdded: h.ts(NOW) }]);
    expect(run('taint node node-1 dedicated=web:NoExecute --overwrite').stdout).toBe('node/node-1 modified\n');
    expect(run('taint nodes node-1 dedicated-').stdout).toBe('node/node-1 untainted\n');
    expect(h.store.get('Node', undefined, 'node-1')!.spec!.taints).toBeUndefined();
  });

  it('cordon and uncordon', () => {
    const { h, run } = setup();
    expect(run('cordon node-1').stdout).toBe('node/node-1 cordoned\n');
    expect(run('cordon node-1').stdout).toBe('node/node-1 already cordoned\n');
    expect(run('get node node-1').stdout).toContain('Ready,SchedulingDisabled');
    expect(run('uncordon node/node-1').stdout).toBe('node/node-1 uncordoned\n');
    expect(h.store.get('Node', undefined, 'node-1')!.spec!.unschedulable).toBeUndefined();
  });
});

describe('drain', () => {
  it('with --force --delete-emptydir-data evicts every pod: DisruptionTarget, graceful deletion, kubectl lines', () => {
    const { h, run } = setup();
    const r = run('drain node-1 --force --delete-emptydir-data --ignore-daemonsets');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe([
      'node/node-1 cordoned',
      'evicting pod default/crashy', 'evicting pod default/init-demo', 'evicting pod default/typo',
      'evicting pod default/web-7d9c4b8f6-b9ztq', 'evicting pod default/web-7d9c4b8f6-x2k4p',
      'pod/crashy evicted', 'pod/init-demo evicted', 'pod/typo evicted', 'pod/web-7d9c4b8f6-b9ztq evicted', 'pod/web-7d9c4b8f6-x2k4p evicted',
      'node/node-1 drained', '',
    ].join('\n'));
    expect(r.stderr).toBe('Warning: deleting Pods that declare no controller: default/crashy, default/init-demo, default/typo\n');
    const web = h.store.get('Pod', 'default', 'web-7d9c4b8f6-x2k4p')!;
    expect(web.metadata!.deletionTimestamp).toBe(h.ts(NOW + 30_000));
    expect(web.status!.conditions!.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'EvictionByEvictionAPI' });
  });
});

describe('expose and set image', () => {
  it('expose a deployment: selector from the deployment, ports from the flags', () => {
    const { h, run } = setup();
    expect(run('expose deployment web --port=8080 --target-port=80 --type=NodePort --name=front').stdout).toBe('service/front exposed\n');
    const svc = h.store.get('Service', 'default', 'front')!;
    expect(svc.spec!.selector).toEqual({ app: 'web' });
    expect(svc.spec!.type).toBe('NodePort');
    expect(svc.spec!.ports![0]).toMatchObject({ port: 8080, targetPort: 80, protocol: 'TCP' });
  });

  it('expose finds the port in the pod template, or says it cannot', () => {
    const { h, run } = setup();
    expect(run('expose deploy/web --name=web-int').stdout).toBe('service/web-int exposed\n');
    expect(h.store.get('Service', 'default', 'web-int')!.spec!.ports![0]).toMatchObject({ port: 80, targetPort: 80 });
    expect(run('expose pod crashy').stderr).toBe("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n");
  });

  it('set image changes the pod template (a new rollout) and names missing containers', () => {
    const { h, run } = setup();
    expect(run('set image deployment/web web=nginx:1.28').stdout).toBe('deployment.apps/web image updated\n');
    const d = h.store.get('Deployment', 'default', 'web')!;
    expect(d.spec!.template.spec!.containers[0].image).toBe('nginx:1.28');
    expect(d.metadata!.generation).toBe(2);
    const r = run('set image deployment/web nope=x');
    expect(r.stderr).toBe('error: unable to find container named "nope"\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('rollout', () => {
  it('status, restart, pause, resume', () => {
    const { h, run } = setup();
    expect(run('rollout status deployment/web').stdout).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n');
    expect(run('rollout restart deployment/web').stdout).toBe('deployment.apps/web restarted\n');
    expect(h.store.get('Deployment', 'default', 'web')!.spec!.template.metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toBe(h.ts(NOW));
    expect(run('rollout pause deployment web').stdout).toBe('deployment.apps/web paused\n');
    expect(run('rollout pause deployment web').stderr).toBe('error: deployments.apps "web" is already paused\n');
    expect(run('rollout resume deployment web').stdout).toBe('deployment.apps/web resumed\n');
  });
});

describe('logs and exec through the kubelet', () => {
  function withKubelet() {
    const s = setup();
    const calls: unknown[] = [];
    s.h.kubelets.set('node-1', {
      logs: (ns, pod, c, opts) => {
        calls.push(['logs', ns, pod, c, opts]);
        return 'line 1\nline 2\n';
      },
      exec: (ns, pod, c, argv) => {
        calls.push(['exec', ns, pod, c, argv]);
        return argv[0] === 'false' ? { stdout: '', stderr: '', exitCode: 1 } : { stdout: 'hello\n', stderr: '', exitCode: 0 };
      },
    });
    return { ...s, calls };
  }

  it('logs passes container and options, and prints what the kubelet returns', () => {
    const { run, calls } = withKubelet();
    expect(run('logs web-7d9c4b8f6-x2k4p --tail 5 --timestamps')).toEqual({ stdout: 'line 1\nline 2\n', stderr: '', exitCode: 0 });
    expect(calls).toEqual([['logs', 'default', 'web-7d9c4b8f6-x2k4p', 'web', { previous: false, tail: 5, timestamps: true }]]);
    expect(run('logs crashy --previous').stdout).toBe('line 1\nline 2\n');
  });

  it('logs deploy/web picks a pod and says which', () => {
    const { run } = withKubelet();
    const r = run('logs deploy/web');
    expect(r.stderr).toBe('Found 3 pods, using pod/web-7d9c4b8f6-b9ztq\n');
    expect(r.stdout).toBe('line 1\nline 2\n');
  });

  it('exec prints stdout and reports a failing command with its exit code', () => {
    const { run, calls } = withKubelet();
    expect(run('exec web-7d9c4b8f6-x2k4p -- echo hello')).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    expect(calls[0]).toEqual(['exec', 'default', 'web-7d9c4b8f6-x2k4p', 'web', ['echo', 'hello']]);
    expect(run('exec web-7d9c4b8f6-x2k4p -- false')).toEqual({ stdout: '', stderr: 'command terminated with exit code 1\n', exitCode: 1 });
  });
});

describe('patch and replace', () => {
  it('strategic (default), merge with null deletes, json ops, and (no change)', () => {
    const { h, run } = setup();
    expect(run(`patch deployment web -p '{"spec":{"replicas":5}}'`).stdout).toBe('deployment.apps/web patched\n');
    expect(h.store.get('Deployment', 'default', 'web')!.spec!.replicas).toBe(5);
    expect(run(`patch deployment web -p '{"spec":{"replicas":5}}'`).stdout).toBe('deployment.apps/web patched (no change)\n');
    // Strategic merge keeps the other containers' fields: only the named container's image changes.
    run(`patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}'`);
    const c = h.store.get('Deployment', 'default', 'web')!.spec!.template.spec!.containers[0];
    expect(c).toMatchObject({ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] });
    run(`patch pod crashy --type=merge -p '{"metadata":{"labels":{"run":null,"tier":"fe"}}}'`);
    expect(h.store.get('Pod', 'default', 'crashy')!.metadata!.labels).toEqual({ tier: 'fe' });
    expect(run(`patch pod crashy --type=json -p '[{"op":"replace","path":"/spec/containers/0/image","value":"busybox:1.36"}]'`).stdout).toBe('pod/crashy patched\n');
    expect(h.store.get('Pod', 'default', 'crashy')!.spec!.containers[0].image).toBe('busybox:1.36');
  });

  it('replace -f updates an existing object and refuses a missing one', () => {
    const { h, run } = setup({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  MODE: calm\n', 'new.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n' });
    expect(run('replace -f cm.yaml').stdout).toBe('configmap/app-config replaced\n');
    expect(h.store.get('ConfigMap', 'default', 'app-config')!.data).toEqual({ MODE: 'calm' });
    expect(run('replace -f new.yaml').stderr).toBe('Error from server (NotFound): error when replacing "new.yaml": configmaps "nope" not found\n');
  });
});

describe('events and wait', () => {
  it('events lists oldest first and filters with --for and --types', () => {
    const { run } = setup();
    const lines = run('events').stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines[1]).toContain('Scheduled');
    expect(lines[lines.length - 1]).toContain('Unhealthy');
    expect(run('events --for pod/crashy --types Warning').stdout).toBe(
      'LAST SEEN   TYPE      REASON    OBJECT       MESSAGE\n20s         Warning   BackOff   pod/crashy   Back-off restarting failed container app in pod crashy_default(uid)\n',
    );
  });

  it('wait checks the condition now (time does not move in a command)', () => {
    const { run } = setup();
    expect(run('wait --for=condition=Ready pod/web-7d9c4b8f6-x2k4p')).toEqual({ stdout: 'pod/web-7d9c4b8f6-x2k4p condition met\n', stderr: '', exitCode: 0 });
    expect(run('wait --for=condition=Ready pod/crashy')).toEqual({ stdout: '', stderr: 'error: timed out waiting for the condition on pods/crashy\n', exitCode: 1 });
    expect(run('wait --for=delete pod/nothing-here').exitCode).toBe(0);
  });
});

describe('read-only commands', () => {
  it('version, cluster-info', () => {
    const { run } = setup();
    expect(run('version').stdout).toBe('Client Version: v1.34.0\nKustomize Version: v5.7.1\nServer Version: v1.34.0\n');
    expect(run('cluster-info').stdout).toBe("Kubernetes control plane is running at https://127.0.0.1:6443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
  });

  it('-o yaml output parses back to the stored object', () => {
    const { h, run } = setup();
    const stored = h.store.get('Pod', 'default', 'crashy');
    expect(parseYaml(run('get pod crashy -o yaml').stdout)).toEqual(JSON.parse(JSON.stringify(stored)));
  });

  it('No resources found goes to stderr with exit code 0', () => {
    const { run } = setup();
    expect(run('get deploy -n kube-public')).toEqual({ stdout: '', stderr: 'No resources found in kube-public namespace.\n', exitCode: 0 });
  });

  it('--help prints usage; a leading kubectl and leading global flags are accepted', () => {
    const { run } = setup();
    expect(run('get --help').stdout).toContain('Usage:\n  kubectl get');
    expect(run('kubectl -n kube-system get pods').stdout).toContain('etcd-control-plane');
  });
});

describe('with the whole engine', () => {
  it('apply a Deployment, the controllers create its pods at the same instant', () => {
    const c = new Cluster({ seed: 3 });
    c.addNode('node-1');
    const k = new Kubectl(c, () => DEPLOY(2));
    expect(k.run(['apply', '-f', 'd.yaml']).stdout).toBe('deployment.apps/api created\n');
    const pods = k.run(['get', 'pods', '-o', 'name']).stdout.trim().split('\n');
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p).toMatch(/^pod\/api-[a-z0-9]+-[a-z0-9]{5}$/);
  });
});
