/**
 * Readiness during graceful termination: the kubelet stops liveness and startup probes when a pod
 * is deleted (StopLivenessAndStartup) but keeps probing readiness until the container exits.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../session';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: app, labels: {app: app}}
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "touch /tmp/ready; sleep 3600"]
    readinessProbe:
      exec: {command: [cat, /tmp/ready]}
      periodSeconds: 2
      failureThreshold: 1
    livenessProbe:
      exec: {command: [cat, /tmp/alive]}
      initialDelaySeconds: 5
      periodSeconds: 5
    lifecycle:
      preStop:
        exec: {command: [sh, -c, "rm /tmp/ready; sleep 30"]}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: app}
spec: {selector: {app: app}, ports: [{port: 80}]}
`;

describe('a pod being deleted', () => {
  it('keeps probing readiness: a preStop hook that fails it turns the endpoint not serving before the container stops', () => {
    const s = new Session({ seed: 1 });
    s.exec('kubectl apply -f -', POD);
    s.exec('kubectl apply -f -', SERVICE);
    // Liveness would fail (/tmp/alive never exists) only after 5s + 3 × 5s: delete before that.
    s.exec('sim advance 6s');
    const ready = () => s.cluster.store.get('Pod', 'default', 'app')?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const endpoint = () => s.cluster.store.list('EndpointSlice', 'default').find((e) => e.metadata?.labels?.['kubernetes.io/service-name'] === 'app')?.endpoints?.[0]?.conditions;
    expect(ready()).toBe('True');
    expect(endpoint()).toEqual({ ready: true, serving: true, terminating: false });

    s.exec('kubectl delete pod app --wait=false');
    s.exec('sim advance 1s');
    expect(endpoint()).toEqual({ ready: false, serving: true, terminating: true });
    // The preStop hook removed /tmp/ready; the next readiness probe (every 2s) fails.
    s.exec('sim advance 3s');
    expect(ready()).toBe('False');
    expect(endpoint()).toEqual({ ready: false, serving: false, terminating: true });
    expect(s.exec('kubectl get pod app').output).toMatch(/app +0\/1 +Terminating/);
    // Liveness stopped with the deletion: no restart, however long the hook takes.
    s.exec('sim advance 20s');
    expect(s.cluster.store.get('Pod', 'default', 'app')?.status?.containerStatuses?.[0].restartCount).toBe(0);
    expect(s.exec('kubectl get events --field-selector involvedObject.name=app').output).not.toMatch(/Liveness probe failed/);
  });
});
