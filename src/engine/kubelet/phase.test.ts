import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Container, ContainerStatus, Pod } from '../api/types';
import { getPhase } from './phase';

// Builders in the style of kubelet_pods_test.go (runningState, succeededState, failedState, waitingState,
// waitingStateWithLastTermination, …).
const running = (name: string, started = true): ContainerStatus => ({ name, image: '', imageID: '', ready: true, restartCount: 0, started, state: { running: {} } });
const succeeded = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } });
const failed = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1 } } });
const waiting = (name: string): ContainerStatus => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } });
const crashLoop = (name: string, exitCode = 1): ContainerStatus => ({
  name, image: '', imageID: '', ready: false, restartCount: 1,
  state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode } },
});

function pod(policy: 'Always' | 'Never' | 'OnFailure', containers: string[], init: Container[] = []): Pod {
  return { spec: { restartPolicy: policy, containers: containers.map((name) => ({ name })), initContainers: init } };
}
const sidecar = (name: string): Container => ({ name, restartPolicy: 'Always' });
const regularInit = (name: string): Container => ({ name });

type Case = [string, Pod, ContainerStatus[], string, boolean?, boolean?];

describe('getPhase (kubelet_pods_test.go TestPodPhaseWithRestart*)', () => {
  const cases: Case[] = [
    // TestPodPhaseWithRestartAlways
    ['always: all running', pod('Always', ['a', 'b']), [running('a'), running('b')], 'Running'],
    ['always: all stopped', pod('Always', ['a', 'b']), [succeeded('a'), failed('b')], 'Running'],
    ['always: all stopped, pod terminal, one failed', pod('Always', ['a', 'b']), [succeeded('a'), failed('b')], 'Failed', true],
    ['always: all succeeded, pod terminal', pod('Always', ['a', 'b']), [succeeded('a'), succeeded('b')], 'Succeeded', true],
    ['always: mixed running and stopped', pod('Always', ['a', 'b']), [running('a'), succeeded('b')], 'Running'],
    ['always: mixed state with waiting', pod('Always', ['a', 'b']), [running('a'), waiting('b')], 'Pending'],
    ['always: backoff crashloop container', pod('Always', ['a', 'b']), [running('a'), crashLoop('b')], 'Running'],
    ['always: one status unknown', pod('Always', ['a', 'b']), [running('a')], 'Pending'],
    ['always: no statuses at all', pod('Always', ['a']), [], 'Pending'],
    // TestPodPhaseWithRestartNever
    ['never: all running', pod('Never', ['a', 'b']), [running('a'), running('b')], 'Running'],
    ['never: all succeeded', pod('Never', ['a', 'b']), [succeeded('a'), succeeded('b')], 'Succeeded'],
    ['never: all failed', pod('Never', ['a', 'b']), [failed('a'), failed('b')], 'Failed'],
    ['never: mixed running and succeeded', pod('Never', ['a', 'b']), [running('a'), succeeded('b')], 'Running'],
    ['never: mixed waiting and succeeded', pod('Never', ['a', 'b']), [waiting('a'), succeeded('b')], 'Pending'],
    // TestPodPhaseWithRestartOnFailure
    ['onfailure: all running', pod('OnFailure', ['a', 'b']), [running('a'), running('b')], 'Running'],
    ['onfailure: all succeeded', pod('OnFailure', ['a', 'b']), [succeeded('a'), succeeded('b')], 'Succeeded'],
    ['onfailure: all failed', pod('OnFailure', ['a', 'b']), [failed('a'), failed('b')], 'Running'],
    ['onfailure: mixed running and failed', pod('OnFailure', ['a', 'b']), [running('a'), failed('b')], 'Running'],
    ['onfailure: crash loop and succeeded', pod('OnFailure', ['a', 'b']), [crashLoop('a'), succeeded('b')], 'Running'],
    // TestPodPhaseWithRestartAlwaysInitContainers / Never
    ['init: running', pod('Always', ['a'], [regularInit('i')]), [running('i'), waiting('a')], 'Pending'],
    ['init: failed, restart always', pod('Always', ['a'], [regularInit('i')]), [failed('i'), waiting('a')], 'Pending'],
    ['init: crash loop, restart always', pod('Always', ['a'], [regularInit('i')]), [crashLoop('i'), waiting('a')], 'Pending'],
    ['init: failed, restart never', pod('Never', ['a'], [regularInit('i')]), [failed('i'), waiting('a')], 'Failed'],
    ['init: succeeded, app running', pod('Always', ['a'], [regularInit('i')]), [succeeded('i'), running('a')], 'Running'],
    ['init: no status yet', pod('Always', ['a'], [regularInit('i')]), [], 'Pending'],
    // TestPodPhaseWithRestartAlwaysRestartableInitContainers (sidecars)
    ['sidecar: running, not started', pod('Always', ['a'], [sidecar('s')]), [running('s', false), waiting('a')], 'Pending'],
    ['sidecar: started, app waiting', pod('Always', ['a'], [sidecar('s')]), [running('s'), waiting('a')], 'Pending'],
    ['sidecar: started, app running', pod('Always', ['a'], [sidecar('s')]), [running('s'), running('a')], 'Running'],
    ['sidecar: crash looping, app running', pod('Always', ['a'], [sidecar('s')]), [crashLoop('s'), running('a')], 'Running'],
    ['sidecar: not started after init, app running', pod('Always', ['a'], [sidecar('s')]), [running('s', false), running('a')], 'Running', false, true],
    ['sidecar: running, app succeeded, restart never', pod('Never', ['a'], [sidecar('s')]), [running('s'), succeeded('a')], 'Running'],
    ['sidecar: stopped, app succeeded, terminal', pod('Never', ['a'], [sidecar('s')]), [succeeded('s'), succeeded('a')], 'Succeeded', true],
    ['sidecar: stopped, app failed, restart never', pod('Never', ['a'], [sidecar('s')]), [failed('s'), failed('a')], 'Failed'],
  ];
  test.each(cases)('%s', (_name, p, info, want, terminal = false, initialized = false) => {
    expect(getPhase(p, info, terminal, initialized)).toBe(want);
  });

  test('a terminal pod is never Pending or Running once every container stopped', () => {
    const state = fc.constantFrom('succeeded', 'failed');
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 5 }), fc.constantFrom('Always', 'Never', 'OnFailure'), (states, policy) => {
        const names = states.map((_, i) => `c${i}`);
        const info = states.map((s, i) => (s === 'succeeded' ? succeeded(names[i]) : failed(names[i])));
        const phase = getPhase(pod(policy as 'Always', names), info, true, true);
        expect(phase).toBe(states.every((s) => s === 'succeeded') ? 'Succeeded' : 'Failed');
      }),
    );
  });
});
