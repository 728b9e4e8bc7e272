import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../api/types';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, podRequests, type Resources } from './resources';

// The rule of component-helpers resource.PodRequests, written the plain way (one Resources per
// container, add and max), to check the allocation-free sums against.
function reference(pod: Pod, nonZero: boolean): Resources {
  const one = (c: Container): Resources => {
    const r = c.resources?.requests ?? {};
    const cpu = r.cpu === undefined ? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0) : Number(String(r.cpu).replace('m', ''));
    const mem = r.memory === undefined ? (nonZero ? DEFAULT_MEMORY_REQUEST : 0) : Number(r.memory);
    return { milliCpu: cpu, memory: mem, ephemeralStorage: Number(r['ephemeral-storage'] ?? 0) };
  };
  const add = (a: Resources, b: Resources): Resources => ({ milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory, ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage });
  const max = (a: Resources, b: Resources): Resources => ({ milliCpu: Math.max(a.milliCpu, b.milliCpu), memory: Math.max(a.memory, b.memory), ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage) });
  const zero: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };
  let sum = zero;
  for (const c of pod.spec!.containers) sum = add(sum, one(c));
  let sidecars = zero;
  let initMax = zero;
  for (const c of pod.spec!.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, one(c));
      initMax = max(initMax, sidecars);
    } else initMax = max(initMax, add(one(c), sidecars));
  }
  let total = max(add(sum, sidecars), initMax);
  const o = pod.spec!.overhead;
  if (o) total = add(total, { milliCpu: Number(String(o.cpu ?? '0').replace('m', '')), memory: Number(o.memory ?? 0), ephemeralStorage: 0 });
  return total;
}

const requests = fc.record(
  { cpu: fc.integer({ min: 0, max: 4000 }).map((m) => `${m}m`), memory: fc.integer({ min: 0, max: 1 << 30 }).map(String), 'ephemeral-storage': fc.integer({ min: 0, max: 1 << 20 }).map(String) },
  { requiredKeys: [] },
);
const container = (sidecar: boolean): fc.Arbitrary<Container> =>
  fc.record({ req: fc.option(requests, { nil: undefined }), always: sidecar ? fc.boolean() : fc.constant(false) }).map(({ req, always }) => ({
    name: 'c',
    image: 'img',
    ...(req ? { resources: { requests: req } } : {}),
    ...(always ? { restartPolicy: 'Always' } : {}),
  }));

describe('podRequests', () => {
  it('equals the plain add-and-max rule for random containers, init containers, sidecars and overhead (plain and non-zero)', () => {
    fc.assert(
      fc.property(
        fc.array(container(false), { minLength: 1, maxLength: 3 }),
        fc.option(fc.array(container(true), { maxLength: 4 }), { nil: undefined }),
        fc.option(fc.record({ cpu: fc.integer({ min: 0, max: 500 }).map((m) => `${m}m`), memory: fc.integer({ min: 0, max: 1 << 20 }).map(String) }), { nil: undefined }),
        (containers, initContainers, overhead) => {
          const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, ...(initContainers ? { initContainers } : {}), ...(overhead ? { overhead } : {}) } };
          expect({ ...podRequests(pod) }).toEqual(reference(pod, false));
          expect({ ...podRequests(pod, true) }).toEqual(reference(pod, true));
        },
      ),
      { numRuns: 300 },
    );
  });
});
