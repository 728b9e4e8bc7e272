import { describe, expect, it } from 'vitest';
import type { Job, Pod } from '../api/types';
import { JobController, formatIndexes } from './job';
import { GarbageCollector } from './garbageCollector';
import { FakeKubelets, FakeScheduler, TestSim } from './testing/sim';
import { isPodActive } from './controllerUtils';

function setup() {
  const sim = new TestSim();
  sim.add(new JobController(sim));
  sim.add(new FakeScheduler(sim));
  sim.add(new FakeKubelets(sim));
  sim.addNode('node-1');
  return sim;
}

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } }, ...spec },
  } as Job;
}

const active = (sim: TestSim) => sim.pods().filter(isPodActive);
const status = (sim: TestSim, name = 'pi') => sim.store.get('Job', 'default', name)!.status!;
const conditions = (sim: TestSim, name = 'pi') => (status(sim, name).conditions ?? []).map((c) => `${c.type}:${c.reason}`);

function finish(sim: TestSim, pod: Pod, phase: 'Succeeded' | 'Failed') {
  const p = sim.store.get('Pod', 'default', pod.metadata!.name!)!;
  sim.store.update('Pod', { ...p, status: { ...p.status, phase, conditions: [{ type: 'Ready', status: 'False' }] } });
  sim.settle();
}

describe('JobController', () => {
  it('runs `parallelism` pods named <job>-<5 chars> until `completions` succeed', () => {
    const sim = setup();
    sim.api.create('Job', job('pi', { completions: 3, parallelism: 2 }));
    sim.settle();
    const pods = active(sim);
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata!.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata!.labels).toMatchObject({ 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi' });
      expect(p.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Job', name: 'pi', controller: true });
    }
    expect(status(sim)).toMatchObject({ active: 2, ready: 2, succeeded: 0, failed: 0, startTime: '2026-01-01T00:00:00Z' });
    finish(sim, pods[0], 'Succeeded');
    expect(active(sim)).toHaveLength(2); // one more to reach 3
    finish(sim, pods[1], 'Succeeded');
    expect(active(sim)).toHaveLength(1); // only one completion left
    sim.advance(5_000);
    finish(sim, active(sim)[0], 'Succeeded');
    expect(status(sim)).toMatchObject({ active: 0, succeeded: 3, failed: 0, completionTime: '2026-01-01T00:00:05Z' });
    expect(conditions(sim)).toEqual(['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached']);
    expect(sim.eventsWith('Completed')).toEqual(['Job completed']);
    expect(sim.eventsWith('SuccessfulCreate')).toHaveLength(3);
  });

  it('re-creates failed pods after a back-off and fails past backoffLimit', () => {
    const sim = setup();
    sim.api.create('Job', job('pi', { backoffLimit: 1 }));
    sim.settle();
    finish(sim, active(sim)[0], 'Failed');
    expect(active(sim)).toHaveLength(0); // back-off: 10s before the replacement
    sim.advance(9_999);
    expect(active(sim)).toHaveLength(0);
    sim.advance(1);
    expect(active(sim)).toHaveLength(1);
    expect(status(sim)).toMatchObject({ failed: 1, active: 1 });
    finish(sim, active(sim)[0], 'Failed');
    expect(status(sim)).toMatchObject({ failed: 2, active: 0 });
    expect(conditions(sim)).toEqual(['FailureTarget:BackoffLimitExceeded', 'Failed:BackoffLimitExceeded']);
    expect(status(sim).conditions![1].message).toBe('Job has reached the specified backoff limit');
    sim.advance(60_000);
    expect(sim.pods()).toHaveLength(2); // no more pods
  });

  it('stops at activeDeadlineSeconds', () => {
    const sim = setup();
    sim.api.create('Job', job('pi', { activeDeadlineSeconds: 30 }));
    sim.settle();
    sim.advance(29_999);
    expect(active(sim)).toHaveLength(1);
    sim.advance(1);
    expect(active(sim)).toHaveLength(0);
    expect(conditions(sim)).toEqual(['FailureTarget:DeadlineExceeded', 'Failed:DeadlineExceeded']);
    expect(sim.eventsWith('DeadlineExceeded')).toEqual(['Job was active longer than specified deadline']);
  });

  it('deletes a finished Job and its pods ttlSecondsAfterFinished later', () => {
    const sim = setup();
    sim.add(new GarbageCollector(sim));
    sim.api.create('Job', job('pi', { ttlSecondsAfterFinished: 100 }));
    sim.settle();
    sim.advance(5_000);
    finish(sim, active(sim)[0], 'Succeeded');
    expect(conditions(sim)).toContain('Complete:CompletionsReached');
    sim.advance(99_999);
    expect(sim.store.get('Job', 'default', 'pi')).toBeDefined();
    sim.advance(1);
    expect(sim.store.get('Job', 'default', 'pi')).toBeUndefined();
    expect(sim.pods()).toEqual([]);
  });

  it('Indexed mode: one pod per index, <job>-<index>-<5 chars>, completedIndexes', () => {
    const sim = setup();
    sim.api.create('Job', job('idx', { completions: 4, parallelism: 2, completionMode: 'Indexed' }));
    sim.settle();
    const indexOf = (p: Pod) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'];
    let pods = active(sim).sort((a, b) => indexOf(a).localeCompare(indexOf(b)));
    expect(pods.map(indexOf)).toEqual(['0', '1']);
    expect(pods[0].metadata!.name).toMatch(/^idx-0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pods[0].metadata!.labels!['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect(pods[0].spec!.hostname).toBe('idx-0');
    expect(pods[0].spec!.containers[0].env!.find((e) => e.name === 'JOB_COMPLETION_INDEX')).toMatchObject({ valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
    finish(sim, pods[1], 'Succeeded');
    pods = active(sim);
    expect(pods.map(indexOf).sort()).toEqual(['0', '2']);
    expect(status(sim, 'idx')).toMatchObject({ completedIndexes: '1', succeeded: 1 });
    finish(sim, pods.find((p) => indexOf(p) === '0')!, 'Failed');
    expect(active(sim).map(indexOf).sort()).toEqual(['2']); // index 0 waits for the failure back-off
    sim.advance(10_000);
    expect(active(sim).map(indexOf).sort()).toEqual(['0', '2']);
    for (const p of active(sim)) finish(sim, p, 'Succeeded');
    finish(sim, active(sim)[0], 'Succeeded');
    expect(status(sim, 'idx')).toMatchObject({ completedIndexes: '0-3', succeeded: 4, failed: 1 });
    expect(conditions(sim, 'idx')).toEqual(['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached']);
  });

  it.each([
    [[], ''],
    [[0], '0'],
    [[0, 1, 2, 4], '0-2,4'],
    [[5, 3, 1, 2], '1-3,5'],
  ])('formatIndexes(%j) = %s', (xs, want) => {
    expect(formatIndexes(new Set(xs))).toBe(want);
  });

  it('suspends and resumes', () => {
    const sim = setup();
    sim.api.create('Job', job('pi', { parallelism: 2, completions: 2 }));
    sim.settle();
    const j = sim.store.get('Job', 'default', 'pi')!;
    sim.api.update('Job', { ...j, spec: { ...j.spec!, suspend: true } });
    sim.settle();
    expect(active(sim)).toHaveLength(0);
    expect(conditions(sim)).toEqual(['Suspended:JobSuspended']);
    const k = sim.store.get('Job', 'default', 'pi')!;
    sim.api.update('Job', { ...k, spec: { ...k.spec!, suspend: false } });
    sim.settle();
    expect(active(sim)).toHaveLength(2);
    expect(status(sim).conditions![0]).toMatchObject({ type: 'Suspended', status: 'False', reason: 'JobResumed' });
  });
});
