import { describe, expect, test } from 'vitest';
import type { Container, ContainerStatus, Pod, PodCondition } from '../api/types';
import { containersReady, podConditions, podInitialized, podReady } from './conditions';

const ready = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: true, restartCount: 0, started: true, state: { running: {} } });
const unready = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, started: true, state: { running: {} } });
const notStarted = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, started: false, state: { running: {} } });
const done = (name: string, exitCode = 0): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const waitingInit = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } });

function pod(containers: string[], init: Container[] = [], gates: string[] = []): Pod {
  return {
    metadata: { name: 'p', generation: 1 },
    spec: { containers: containers.map((name) => ({ name })), initContainers: init, readinessGates: gates.map((conditionType) => ({ conditionType })) },
  };
}

// Mirrors pkg/kubelet/status/generate_test.go.
describe('ContainersReady (TestGenerateContainersReadyCondition)', () => {
  const cases: [string, Pod, ContainerStatus[] | undefined, string, { status: string; reason?: string; message?: string }][] = [
    ['no statuses', pod(['a']), undefined, 'Running', { status: 'False', reason: 'UnknownContainerStatuses' }],
    ['no containers', pod([]), [], 'Running', { status: 'True' }],
    ['one unknown', pod(['a']), [], 'Running', { status: 'False', reason: 'ContainersNotReady', message: 'containers with unknown status: [a]' }],
    ['ready', pod(['a']), [ready('a')], 'Running', { status: 'True' }],
    ['two ready', pod(['a', 'b']), [ready('a'), ready('b')], 'Running', { status: 'True' }],
    ['one unready', pod(['a', 'b']), [ready('a'), unready('b')], 'Running', { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]' }],
    ['unknown and unready', pod(['a', 'b', 'c']), [unready('b')], 'Running', { status: 'False', reason: 'ContainersNotReady', message: 'containers with unknown status: [a c], containers with unready status: [b]' }],
    ['succeeded pod', pod(['a']), [done('a')], 'Succeeded', { status: 'False', reason: 'PodCompleted' }],
    ['unready sidecar', pod(['a'], [{ name: 's', restartPolicy: 'Always' }]), [unready('s'), ready('a')], 'Running', { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [s]' }],
    ['regular init containers do not count', pod(['a'], [{ name: 'i' }]), [done('i'), ready('a')], 'Running', { status: 'True' }],
  ];
  test.each(cases)('%s', (_n, p, info, phase, want) => {
    expect(containersReady(p, info, phase as 'Running')).toEqual(want);
  });
});

describe('Ready (TestGeneratePodReadyCondition)', () => {
  const cond = (type: string, status: string): PodCondition => ({ type, status });
  const cases: [string, Pod, PodCondition[], ContainerStatus[], { status: string; reason?: string; message?: string }][] = [
    ['containers not ready', pod(['a']), [], [unready('a')], { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' }],
    ['ready, no gates', pod(['a']), [], [ready('a')], { status: 'True' }],
    ['gate condition missing', pod(['a'], [], ['example.com/gate']), [], [ready('a')], { status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/gate" does not exist.' }],
    ['gate False', pod(['a'], [], ['g']), [cond('g', 'False')], [ready('a')], { status: 'False', reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "g" is not "True", but False' }],
    ['gate True', pod(['a'], [], ['g']), [cond('g', 'True')], [ready('a')], { status: 'True' }],
  ];
  test.each(cases)('%s', (_n, p, conds, info, want) => expect(podReady(p, conds, info, 'Running')).toEqual(want));
});

describe('Initialized (TestGeneratePodInitializedCondition)', () => {
  const cases: [string, Pod, ContainerStatus[], string, { status: string; reason?: string; message?: string }][] = [
    ['no init containers', pod(['a']), [], 'Pending', { status: 'True' }],
    ['init unknown', pod(['a'], [{ name: 'i' }]), [], 'Pending', { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with unknown status: [i]' }],
    ['init running', pod(['a'], [{ name: 'i' }]), [notStarted('i')], 'Pending', { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i]' }],
    ['init waiting', pod(['a'], [{ name: 'i' }, { name: 'j' }]), [done('i'), waitingInit('j')], 'Pending', { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [j]' }],
    ['init failed', pod(['a'], [{ name: 'i' }]), [done('i', 1)], 'Pending', { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i]' }],
    ['init done', pod(['a'], [{ name: 'i' }]), [done('i')], 'Pending', { status: 'True' }],
    ['sidecar started', pod(['a'], [{ name: 's', restartPolicy: 'Always' }]), [ready('s')], 'Pending', { status: 'True' }],
    ['sidecar not started', pod(['a'], [{ name: 's', restartPolicy: 'Always' }]), [notStarted('s')], 'Pending', { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [s]' }],
    ['a regular container started before', pod(['a'], [{ name: 's', restartPolicy: 'Always' }]), [notStarted('s'), ready('a')], 'Running', { status: 'True' }],
    ['succeeded pod', pod(['a'], [{ name: 'i' }]), [done('i'), done('a')], 'Succeeded', { status: 'True', reason: 'PodCompleted' }],
  ];
  test.each(cases)('%s', (_n, p, info, phase, want) => expect(podInitialized(p, info, phase as 'Pending')).toEqual(want));
});

describe('podConditions', () => {
  test('order, kept foreign conditions, transition times carried over', () => {
    const p = pod(['a']);
    const old: PodCondition[] = [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' },
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' },
    ];
    const out = podConditions(p, { statuses: [ready('a')], phase: 'Running', sandboxReady: true, old, now: '2026-01-01T00:01:00Z' });
    expect(out.map((c) => c.type)).toEqual(['DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    expect(out.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('2026-01-01T00:00:05Z');
    expect(out.find((c) => c.type === 'ContainersReady')!.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
    expect(out.find((c) => c.type === 'PodScheduled')).toBe(old[0]);
    const notReady = podConditions(p, { statuses: [unready('a')], phase: 'Running', sandboxReady: false, old: out, now: '2026-01-01T00:02:00Z' });
    expect(notReady.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', lastTransitionTime: '2026-01-01T00:02:00Z' });
    expect(notReady.find((c) => c.type === 'PodReadyToStartContainers')!.status).toBe('False');
  });
});
