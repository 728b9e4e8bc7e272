import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Container, Pod } from '../api/types';
import { qosClass } from './qos';

type R = Record<string, string>;
const c = (requests?: R, limits?: R): Container => ({ name: 'c', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const pod = (containers: Container[], init: Container[] = []): Pod => ({ spec: { containers, initContainers: init } });

// Mirrors pkg/apis/core/v1/helper/qos/qos_test.go TestGetPodQOS.
describe('qosClass (qos_test.go TestGetPodQOS)', () => {
  const cases: [string, Pod, string][] = [
    ['no resources', pod([c()]), 'BestEffort'],
    ['two containers, no resources', pod([c(), c()]), 'BestEffort'],
    ['limits equal requests, cpu and memory', pod([c({ cpu: '100m', memory: '100Mi' }, { cpu: '100m', memory: '100Mi' })]), 'Guaranteed'],
    ['limits only (requests default to limits)', pod([c(undefined, { cpu: '100m', memory: '100Mi' })]), 'Guaranteed'],
    ['two guaranteed containers', pod([c({ cpu: '100m', memory: '100Mi' }, { cpu: '100m', memory: '100Mi' }), c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
    ['guaranteed and besteffort container', pod([c({ cpu: '100m', memory: '100Mi' }, { cpu: '100m', memory: '100Mi' }), c()]), 'Burstable'],
    ['requests below limits', pod([c({ cpu: '100m', memory: '100Mi' }, { cpu: '200m', memory: '200Mi' })]), 'Burstable'],
    ['cpu only', pod([c({ cpu: '100m' }, { cpu: '100m' })]), 'Burstable'],
    ['memory request only', pod([c({ memory: '100Mi' })]), 'Burstable'],
    ['zero requests count as none', pod([c({ cpu: '0', memory: '0' })]), 'BestEffort'],
    ['extended resources are ignored', pod([c({ 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '1' })]), 'BestEffort'],
    ['init container without limits breaks Guaranteed', pod([c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], [c({ cpu: '1' })]), 'Burstable'],
    ['guaranteed init and app', pod([c(undefined, { cpu: '1', memory: '1Gi' })], [c(undefined, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
  ];
  test.each(cases)('%s', (_n, p, want) => expect(qosClass(p)).toBe(want));

  test('BestEffort exactly when no container has a positive cpu/memory request or limit', () => {
    const qty = fc.option(fc.constantFrom('0', '100m', '1', '64Mi', '1Gi'), { nil: undefined });
    const res = fc.record({ cpu: qty, memory: qty });
    const container = fc.record({ requests: res, limits: res });
    fc.assert(
      fc.property(fc.array(container, { minLength: 1, maxLength: 4 }), (cs) => {
        const clean = (r: Record<string, string | undefined>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as R;
        const p = pod(cs.map((x) => c(clean(x.requests), clean(x.limits))));
        const any = cs.some((x) => [x.requests.cpu, x.requests.memory, x.limits.cpu, x.limits.memory].some((v) => v !== undefined && v !== '0'));
        expect(qosClass(p) === 'BestEffort').toBe(!any);
      }),
    );
  });
});
