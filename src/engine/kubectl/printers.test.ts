import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Node, Pod } from '../api/types';
import { Clock } from '../clock';
import { nodeStatusText, podColumns, podPrinter, podStatusText } from './printers';

const NOW = 30 * 24 * 3600_000;
const ago = (ms: number) => Clock.rfc3339(NOW - ms);
const S = 1000;
const DAY = 24 * 3600_000;

const running = {};
const lastTerm = (ms: number) => ({ terminated: { exitCode: 0, finishedAt: ago(ms) } });

function pod(name: string, containers: number, status: Pod['status'], init = 0, extra: Partial<Pod> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: Array.from({ length: containers }, () => ({ name: '' })),
      ...(init ? { initContainers: Array.from({ length: init }, () => ({ name: '' })) } : {}),
    },
    status,
    ...extra,
  };
}

const cs = (s: Partial<ContainerStatus>): ContainerStatus => ({ name: '', image: '', imageID: '', ready: false, restartCount: 0, ...s });

// pkg/printers/internalversion/printers_test.go TestPrintPod: [pod, NAME, READY, STATUS, RESTARTS].
const CASES: [Pod, string, string, string, string][] = [
  [pod('test1', 2, { phase: 'podPhase', containerStatuses: [cs({ ready: true, restartCount: 3, state: { running } }), cs({ restartCount: 3 })] }), 'test1', '1/2', 'podPhase', '6'],
  [pod('test2', 2, { phase: 'podPhase', containerStatuses: [cs({ ready: true, restartCount: 3, state: { running } }), cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 })] }), 'test2', '1/2', 'ContainerWaitingReason', '6'],
  [pod('test3', 2, { phase: 'podPhase', containerStatuses: [cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }), cs({ state: { terminated: { reason: 'ContainerTerminatedReason', exitCode: 0 } }, restartCount: 3 })] }), 'test3', '0/2', 'ContainerWaitingReason', '6'],
  [pod('test4', 2, { phase: 'podPhase', containerStatuses: [cs({ ready: true, restartCount: 3, state: { running } }), cs({ ready: true, restartCount: 3 })] }), 'test4', '1/2', 'podPhase', '6'],
  [pod('test5', 2, { reason: 'podReason', phase: 'podPhase', containerStatuses: [cs({ ready: true, restartCount: 3, state: { running } }), cs({ ready: true, restartCount: 3 })] }), 'test5', '1/2', 'podReason', '6'],
  [pod('test6', 2, { phase: 'Running', containerStatuses: [cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }), cs({ ready: true, restartCount: 3, state: { running } })] }), 'test6', '1/2', 'NotReady', '6'],
  [pod('test6', 2, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }), cs({ ready: true, restartCount: 3, state: { running } })] }), 'test6', '1/2', 'Running', '6'],
  [pod('test7', 1, { phase: 'podPhase', initContainerStatuses: [cs({ restartCount: 3, state: { running }, lastState: lastTerm(10 * S) })], containerStatuses: [cs({ state: { waiting: {} } })] }, 1), 'test7', '0/1', 'Init:0/1', '3 (10s ago)'],
  [pod('test8', 1, { phase: 'podPhase', initContainerStatuses: [cs({ restartCount: 3, state: { running }, lastState: lastTerm(10 * S) }), cs({ state: { waiting: {} } })], containerStatuses: [cs({ state: { waiting: {} } })] }, 2), 'test8', '0/1', 'Init:0/2', '3 (10s ago)'],
  [pod('test9', 1, { phase: 'podPhase', initContainerStatuses: [cs({ state: { terminated: { exitCode: 0 } } }), cs({ restartCount: 3, state: { running }, lastState: lastTerm(10 * S) })], containerStatuses: [cs({ state: { waiting: {} } })] }, 2), 'test9', '0/1', 'Init:1/2', '3 (10s ago)'],
  [pod('test10', 1, { phase: 'podPhase', initContainerStatuses: [cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerm(2 * 60 * S) }), cs({ restartCount: 3, state: { running }, lastState: lastTerm(10 * S) })], containerStatuses: [cs({ state: { waiting: {} } })] }, 2), 'test10', '0/1', 'Init:1/2', '5 (10s ago)'],
  [pod('test11', 1, { phase: 'Running', initContainerStatuses: [cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: lastTerm(2 * 60 * S) })], containerStatuses: [cs({ restartCount: 4, state: { running }, lastState: lastTerm(20 * S) })] }, 1), 'test11', '0/1', 'Running', '4 (20s ago)'],
  [pod('test12', 1, { phase: 'Running', containerStatuses: [cs({ ready: true, restartCount: 3, state: { running }, lastState: lastTerm(5 * DAY) })] }), 'test12', '1/1', 'Running', '3 (5d ago)'],
  [pod('test13', 2, { phase: 'Running', containerStatuses: [cs({ ready: true, state: { running } }), cs({ ready: true, restartCount: 3, state: { running }, lastState: lastTerm(10 * DAY) })] }), 'test13', '2/2', 'Running', '3 (10d ago)'],
  [pod('test14', 2, { phase: 'Running', containerStatuses: [cs({ ready: true, restartCount: 6, state: { running }, lastState: lastTerm(5 * DAY) }), cs({ ready: true, restartCount: 3, state: { running }, lastState: lastTerm(20 * DAY) })] }), 'test14', '2/2', 'Running', '9 (5d ago)'],
  [pod('test15', 2, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), 'test15', '0/2', 'SchedulingGated', '0'],
  [pod('test16', 1, { phase: 'Succeeded', containerStatuses: [cs({ state: { terminated: { reason: 'Completed', exitCode: 0 } } })] }), 'test16', '0/1', 'Completed', '0'],
  [pod('test17', 1, { phase: 'Failed', containerStatuses: [cs({ state: { terminated: { reason: 'Error', exitCode: 1 } } })] }), 'test17', '0/1', 'Error', '0'],
];

describe('printPod (TestPrintPod)', () => {
  it.each(CASES)('%#: %s', (p, name, ready, status, restarts) => {
    expect(podPrinter.row(p, NOW, { wide: false })).toEqual([name, ready, status, restarts, '<unknown>']);
  });
});

describe('pod STATUS beyond the upstream table', () => {
  const withSidecar = (started: boolean, ready: boolean): Pod => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sc' },
    spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
    status: {
      phase: started ? 'Running' : 'Pending',
      conditions: started ? [{ type: 'Initialized', status: 'True' }] : [],
      initContainerStatuses: [cs({ name: 'proxy', started, ready, state: { running } })],
      containerStatuses: [cs({ name: 'app', ready: started, state: started ? { running } : { waiting: { reason: 'PodInitializing' } } })],
    },
  });

  it('counts a started sidecar as a container (READY 2/2) and a not-started one as Init:0/1', () => {
    expect(podColumns(withSidecar(true, true), NOW)).toEqual({ ready: '2/2', status: 'Running', restarts: '0' });
    expect(podColumns(withSidecar(false, false), NOW)).toEqual({ ready: '0/2', status: 'Init:0/1', restarts: '0' });
  });

  it.each([
    ['Init:CrashLoopBackOff', { waiting: { reason: 'CrashLoopBackOff' } }],
    ['Init:ExitCode:2', { terminated: { exitCode: 2 } }],
    ['Init:Signal:9', { terminated: { exitCode: 137, signal: 9 } }],
    ['Init:OOMKilled', { terminated: { exitCode: 137, reason: 'OOMKilled' } }],
  ])('a failing init container shows %s', (want, state) => {
    const p = pod('i', 1, { phase: 'Pending', initContainerStatuses: [cs({ state })], containerStatuses: [cs({ state: { waiting: { reason: 'PodInitializing' } } })] }, 1);
    expect(podStatusText(p, NOW)).toBe(want);
  });

  it.each([
    ['ExitCode:3', { terminated: { exitCode: 3 } }],
    ['Signal:15', { terminated: { exitCode: 143, signal: 15 } }],
    ['OOMKilled', { terminated: { exitCode: 137, reason: 'OOMKilled' } }],
    ['ErrImagePull', { waiting: { reason: 'ErrImagePull' } }],
    ['ContainerCreating', { waiting: { reason: 'ContainerCreating' } }],
  ])('a container state shows %s', (want, state) => {
    expect(podStatusText(pod('c', 1, { phase: 'Running', containerStatuses: [cs({ state })] }), NOW)).toBe(want);
  });

  it('the first container wins: containers are walked last to first', () => {
    const p = pod('two', 2, { phase: 'Pending', containerStatuses: [cs({ state: { waiting: { reason: 'ImagePullBackOff' } } }), cs({ state: { waiting: { reason: 'ContainerCreating' } } })] });
    expect(podStatusText(p, NOW)).toBe('ImagePullBackOff');
  });

  it('a deletionTimestamp shows Terminating, or Unknown when the node is lost; terminal pods keep their phase', () => {
    const base = pod('t', 1, { phase: 'Running', containerStatuses: [cs({ ready: true, state: { running } })] });
    const deleting = { ...base, metadata: { ...base.metadata, deletionTimestamp: ago(0) } };
    expect(podStatusText(deleting, NOW)).toBe('Terminating');
    expect(podStatusText({ ...deleting, status: { ...deleting.status, reason: 'NodeLost' } }, NOW)).toBe('Unknown');
    expect(podStatusText({ ...deleting, status: { phase: 'Succeeded', containerStatuses: [cs({ state: { terminated: { exitCode: 0, reason: 'Completed' } } })] } }, NOW)).toBe('Completed');
  });

  it('status.reason wins over the phase (Evicted)', () => {
    expect(podStatusText(pod('e', 1, { phase: 'Failed', reason: 'Evicted' }), NOW)).toBe('Evicted');
  });

  it('wide columns: IP, NODE, NOMINATED NODE, READINESS GATES', () => {
    const p: Pod = {
      ...pod('w', 1, { phase: 'Running', podIPs: [{ ip: '10.244.1.2' }], conditions: [{ type: 'example.com/gate', status: 'True' }] }),
      spec: { containers: [{ name: 'a' }], nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/gate' }, { conditionType: 'other' }] },
    };
    expect(podPrinter.row(p, NOW, { wide: true }).slice(5)).toEqual(['10.244.1.2', 'node-1', '<none>', '1/2']);
  });
});

describe('node STATUS (printNode)', () => {
  const node = (ready: string | undefined, unschedulable = false): Node => ({
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' },
    spec: unschedulable ? { unschedulable: true } : {},
    status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [] },
  });
  it.each([
    ['True', false, 'Ready'],
    ['False', false, 'NotReady'],
    ['Unknown', false, 'NotReady'],
    [undefined, false, 'Unknown'],
    ['True', true, 'Ready,SchedulingDisabled'],
    ['Unknown', true, 'NotReady,SchedulingDisabled'],
  ])('Ready=%s unschedulable=%s → %s', (ready, unsched, want) => {
    expect(nodeStatusText(node(ready, unsched))).toBe(want);
  });
});
