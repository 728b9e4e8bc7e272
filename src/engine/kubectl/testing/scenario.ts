/**
 * The golden scenario: a three-node cluster ten minutes old, with pods in every state `kubectl get
 * pods` has a word for. Built by hand so the goldens test the printers, not the control loops.
 */
import type { Pod, PodSpec, ReplicaSet } from '../../api/types';
import { HandCluster, makeNode, running } from './fixture';

export const NOW = 10 * 60_000;

const tolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
];

function cond(type: string, status: 'True' | 'False', at: number, h: HandCluster, reason?: string, message?: string) {
  return { type, status, lastProbeTime: null as unknown as string, lastTransitionTime: h.ts(at), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function readyConditions(h: HandCluster, at: number, ready = true, names = ['web']) {
  return [
    cond('PodReadyToStartContainers', 'True', at, h),
    cond('Initialized', 'True', at, h),
    ready ? cond('Ready', 'True', at, h) : cond('Ready', 'False', at, h, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`),
    ready ? cond('ContainersReady', 'True', at, h) : cond('ContainersReady', 'False', at, h, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`),
    cond('PodScheduled', 'True', at, h),
  ];
}

const webSpec = (node: string): PodSpec => ({
  containers: [{
    name: 'web',
    image: 'nginx:1.27',
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/', port: 80, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, initialDelaySeconds: 0 },
  }],
  nodeName: node,
  restartPolicy: 'Always',
  serviceAccountName: 'default',
  priority: 0,
  terminationGracePeriodSeconds: 30,
  tolerations,
});

/** Build the scenario; the clock ends at {@link NOW}. */
export function goldenCluster(): HandCluster {
  const h = new HandCluster();
  makeNode(h, 'control-plane', 0, { controlPlane: true });
  makeNode(h, 'node-1', 1);
  makeNode(h, 'node-2', 2, {
    ready: 'Unknown',
    unschedulable: true,
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: h.ts(0) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: h.ts(0) },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: h.ts(0) },
    ],
  });
  for (const n of ['control-plane', 'node-1', 'node-2']) {
    h.put('Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: n, namespace: 'kube-node-lease' }, spec: { holderIdentity: n, leaseDurationSeconds: 40, renewTime: h.ts(0) } });
  }
  h.put('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } });
  h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'etcd-control-plane', namespace: 'kube-system', labels: { component: 'etcd', tier: 'control-plane' }, annotations: { 'kubernetes.io/config.mirror': 'c0ffee' } },
    spec: { containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.6.4-0' }], nodeName: 'control-plane', priority: 2000001000, priorityClassName: 'system-node-critical' },
    status: { phase: 'Running', conditions: readyConditions(h, 0), containerStatuses: [running('etcd', 'registry.k8s.io/etcd:3.6.4-0', 0)], podIP: '172.18.0.2', podIPs: [{ ip: '172.18.0.2' }], hostIP: '172.18.0.2', startTime: h.ts(0), qosClass: 'BestEffort' },
  });

  h.at(60_000);
  const labels = { app: 'web' };
  const template = { metadata: { labels }, spec: { containers: webSpec('').containers } };
  const d = h.put('Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 3, selector: { matchLabels: labels }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
  });
  h.store.update('Deployment', {
    ...d,
    status: {
      observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: h.ts(75_000), lastTransitionTime: h.ts(75_000) },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-7d9c4b8f6" has successfully progressed.', lastUpdateTime: h.ts(75_000), lastTransitionTime: h.ts(60_000) },
      ],
    },
  });
  const rsLabels = { app: 'web', 'pod-template-hash': '7d9c4b8f6' };
  const rs: ReplicaSet = h.put('ReplicaSet', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: 'web-7d9c4b8f6', namespace: 'default', labels: rsLabels,
      annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 3, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec: template.spec } },
    status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
  });
  const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true }];
  const webPod = (name: string, node: string, ip: string, status: Pod['status'], extra: Partial<Pod['metadata']> = {}): Pod => h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: rsLabels, ownerReferences: owner, ...extra },
    spec: webSpec(node),
    status: { hostIP: node === 'node-1' ? '172.18.0.3' : '172.18.0.4', hostIPs: [{ ip: node === 'node-1' ? '172.18.0.3' : '172.18.0.4' }], podIP: ip, podIPs: [{ ip }], startTime: h.ts(60_000), qosClass: 'Burstable', ...status },
  });
  const p1 = webPod('web-7d9c4b8f6-x2k4p', 'node-1', '10.244.1.5', { phase: 'Running', conditions: readyConditions(h, 64_000), containerStatuses: [running('web', 'nginx:1.27', 62_000)] });
  const p2 = webPod('web-7d9c4b8f6-b9ztq', 'node-1', '10.244.1.6', { phase: 'Running', conditions: readyConditions(h, 592_000), containerStatuses: [running('web', 'nginx:1.27', 591_000, 3, 590_000)] });
  const p3 = webPod('web-7d9c4b8f6-q8n5m', 'node-2', '10.244.2.4', {
    phase: 'Running', reason: 'NodeLost', message: 'Node node-2 which was running pod web-7d9c4b8f6-q8n5m is unresponsive',
    conditions: [...readyConditions(h, 120_000, false)], containerStatuses: [running('web', 'nginx:1.27', 62_000, 0, undefined, false)],
  }, { deletionTimestamp: h.ts(590_000), deletionGracePeriodSeconds: 30 });
  h.event(p1, 'Normal', 'Scheduled', 'Successfully assigned default/web-7d9c4b8f6-x2k4p to node-1', { component: 'default-scheduler' }, 60_000);
  h.event(p1, 'Normal', 'Pulled', 'Container image "nginx:1.27" already present on machine', { component: 'kubelet', host: 'node-1' }, 61_000);
  h.event(p1, 'Normal', 'Created', 'Created container: web', { component: 'kubelet', host: 'node-1' }, 61_000);
  h.event(p1, 'Normal', 'Started', 'Started container web', { component: 'kubelet', host: 'node-1' }, 62_000);
  h.event(p2, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', { component: 'kubelet', host: 'node-1' }, 300_000, 585_000, 12);
  h.event(p3, 'Warning', 'NodeNotReady', 'Node is not ready', { component: 'node-controller' }, 120_000);
  h.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-7d9c4b8f6-x2k4p', { component: 'replicaset-controller' }, 60_000);
  h.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-7d9c4b8f6-b9ztq', { component: 'replicaset-controller' }, 60_000);
  h.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-7d9c4b8f6-q8n5m', { component: 'replicaset-controller' }, 60_000);
  h.event(d, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-7d9c4b8f6 from 0 to 3', { component: 'deployment-controller' }, 60_000);

  h.at(120_000);
  const crash = h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'crashy', namespace: 'default', labels: { run: 'crashy' }, annotations: { note: 'fails on purpose' } },
    spec: {
      containers: [{
        name: 'app', image: 'busybox:1.37', command: ['sh', '-c'], args: ['echo starting; sleep 5; exit 1'],
        env: [{ name: 'MODE', value: 'crash' }, { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }, { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 3, timeoutSeconds: 1, periodSeconds: 3, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }, { name: 'config', mountPath: '/etc/app', readOnly: true }],
      }],
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'config', configMap: { name: 'app-config' } }],
      nodeName: 'node-1', restartPolicy: 'Always', serviceAccountName: 'default', priority: 0, terminationGracePeriodSeconds: 30,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations,
    },
    status: {
      phase: 'Running', conditions: readyConditions(h, 125_000, false, ['app']),
      hostIP: '172.18.0.3', hostIPs: [{ ip: '172.18.0.3' }], podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], startTime: h.ts(120_000), qosClass: 'Burstable',
      containerStatuses: [{
        name: 'app', image: 'busybox:1.37', imageID: 'docker.io/library/busybox@sha256:f85340bf132ae937d2c2a763b8335c9bab35d6e8293f70f606b9c6178d84f42b',
        containerID: 'containerd://5e1b7f7d0e8a4c1d9a6f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e', ready: false, started: false, restartCount: 5,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=app pod=crashy_default(uid)' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: h.ts(550_000), finishedAt: h.ts(555_000) } },
      }],
    },
  });
  h.event(crash, 'Normal', 'Scheduled', 'Successfully assigned default/crashy to node-1', { component: 'default-scheduler' }, 120_000);
  h.event(crash, 'Normal', 'Pulled', 'Container image "busybox:1.37" already present on machine', { component: 'kubelet', host: 'node-1' }, 121_000, 550_000, 6);
  h.event(crash, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod crashy_default(uid)', { component: 'kubelet', host: 'node-1' }, 140_000, 580_000, 9);

  h.at(300_000);
  h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'init-demo', namespace: 'default' },
    spec: {
      initContainers: [{ name: 'wait-db', image: 'busybox:1.37', command: ['sh', '-c', 'until nc -z db 5432; do sleep 2; done'] }, { name: 'migrate', image: 'busybox:1.37' }],
      containers: [{ name: 'app', image: 'nginx:1.27' }], nodeName: 'node-1', restartPolicy: 'Always', serviceAccountName: 'default', priority: 0, tolerations,
    },
    status: {
      phase: 'Pending', hostIP: '172.18.0.3', podIP: '10.244.1.8', podIPs: [{ ip: '10.244.1.8' }], startTime: h.ts(300_000), qosClass: 'BestEffort',
      conditions: [cond('PodReadyToStartContainers', 'True', 301_000, h), cond('Initialized', 'False', 300_000, h, 'ContainersNotInitialized', 'containers with incomplete status: [wait-db migrate]'), cond('Ready', 'False', 300_000, h, 'ContainersNotReady', 'containers with unready status: [app]'), cond('ContainersReady', 'False', 300_000, h, 'ContainersNotReady', 'containers with unready status: [app]'), cond('PodScheduled', 'True', 300_000, h)],
      initContainerStatuses: [
        { ...running('wait-db', 'busybox:1.37', 301_000), ready: false },
        { name: 'migrate', image: 'busybox:1.37', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'PodInitializing' } } },
      ],
      containerStatuses: [{ name: 'app', image: 'nginx:1.27', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'PodInitializing' } } }],
    },
  });
  h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'pi-5xq7z', namespace: 'default', labels: { 'batch.kubernetes.io/job-name': 'pi' } },
    spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], nodeName: 'node-2', restartPolicy: 'Never', tolerations },
    status: {
      phase: 'Succeeded', conditions: [cond('Initialized', 'True', 300_000, h), cond('Ready', 'False', 330_000, h, 'PodCompleted'), cond('PodScheduled', 'True', 300_000, h)],
      containerStatuses: [{ name: 'pi', image: 'perl:5.34', imageID: '', ready: false, restartCount: 0, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: h.ts(302_000), finishedAt: h.ts(330_000) } } }],
    },
  });
  h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'big', namespace: 'default', labels: { run: 'big' } },
    spec: { containers: [{ name: 'big', image: 'nginx:1.27', resources: { requests: { cpu: '16' } } }], tolerations },
    status: { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 300_000, h, 'Unschedulable', '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.')], qosClass: 'Burstable' },
  });

  h.at(420_000);
  h.put('Service', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.112.40', clusterIPs: ['10.96.112.40'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }, { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090, nodePort: 31090 }] },
  });
  h.put('EndpointSlice', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: 'web-5kq2x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    ports: [{ name: '', port: 80, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' },
      { addresses: ['10.244.1.6'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' },
      { addresses: ['10.244.2.4'], conditions: { ready: false, serving: false, terminating: true }, nodeName: 'node-2' },
    ],
  });
  h.put('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { 'app.properties': 'color=blue\n', MODE: 'crash' } });
  h.put('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, type: 'Opaque', data: { password: 'aHVudGVyMg==' } });
  const job = h.put('Job', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' },
    spec: { completions: 1, parallelism: 1, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } }, template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }], restartPolicy: 'Never' } } },
  });
  h.store.update('Job', { ...job, status: { startTime: h.ts(300_000), completionTime: h.ts(331_000), succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } });
  const ds = h.put('DaemonSet', {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'kindnet', namespace: 'kube-system', labels: { app: 'kindnet' } },
    spec: { selector: { matchLabels: { app: 'kindnet' } }, template: { metadata: { labels: { app: 'kindnet' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kindnet-cni', image: 'docker.io/kindest/kindnetd:v20250512-df8de77b' }] } } },
  });
  h.store.update('DaemonSet', { ...ds, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 1, numberMisscheduled: 0, observedGeneration: 1 } });

  h.at(540_000);
  h.put('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'typo', namespace: 'default', labels: { run: 'typo' } },
    spec: { containers: [{ name: 'typo', image: 'ngnix:latest' }], nodeName: 'node-1', tolerations },
    status: {
      phase: 'Pending', hostIP: '172.18.0.3', podIP: '10.244.1.9', podIPs: [{ ip: '10.244.1.9' }], startTime: h.ts(540_000), qosClass: 'BestEffort',
      containerStatuses: [{ name: 'typo', image: 'ngnix:latest', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ngnix:latest"' } } }],
    },
  });
  h.at(NOW);
  return h;
}
