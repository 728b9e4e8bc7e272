import { describe, expect, it } from 'vitest';
import { explainInWords, scoreColumns, type SchedulingExplanation } from './explain';

const scheduled: SchedulingExplanation = {
  chosenNode: 'node-2',
  nodes: [
    { node: 'control-plane', feasible: false, failures: [{ plugin: 'TaintToleration', reason: "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }" }] },
    { node: 'node-1', feasible: true, scores: { NodeResourcesFit: 80, NodeResourcesBalancedAllocation: 90, ImageLocality: 0 }, total: 170 },
    { node: 'node-2', feasible: true, scores: { NodeResourcesFit: 95, NodeResourcesBalancedAllocation: 92, ImageLocality: 0 }, total: 187 },
  ],
};

describe('explainInWords', () => {
  it('says why the pod is on its node, its top plugins, and why others were ruled out', () => {
    expect(explainInWords(scheduled)).toEqual([
      'The scheduler placed it on node-2: it passed every filter and scored highest (187).',
      'Biggest contributions on node-2: NodeResourcesFit 95, NodeResourcesBalancedAllocation 92.',
      "1 node ruled out: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
    ]);
  });

  it('mentions a tie broken at random', () => {
    const tie: SchedulingExplanation = { chosenNode: 'b', nodes: [{ node: 'a', feasible: true, total: 10 }, { node: 'b', feasible: true, total: 10 }] };
    expect(explainInWords(tie)[0]).toMatch(/2 nodes tied .*random/);
  });

  it('explains a Pending pod grouped by reason, most common first', () => {
    const pending: SchedulingExplanation = {
      message: '0/3 nodes are available: 1 node(s) had untolerated taint, 2 Insufficient cpu.',
      nodes: [
        { node: 'control-plane', feasible: false, failures: [{ plugin: 'TaintToleration', reason: 'node(s) had untolerated taint' }] },
        { node: 'node-1', feasible: false, failures: [{ plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' }] },
        { node: 'node-2', feasible: false, failures: [{ plugin: 'NodeResourcesFit', reason: 'Insufficient cpu' }] },
      ],
    };
    expect(explainInWords(pending)).toEqual([
      "It is Pending: none of the 3 nodes passed the scheduler's filters.",
      '2 nodes ruled out: Insufficient cpu.',
      '1 node ruled out: node(s) had untolerated taint.',
      'Scheduler message: 0/3 nodes are available: 1 node(s) had untolerated taint, 2 Insufficient cpu.',
    ]);
  });

  it('only feasible node', () => {
    expect(explainInWords({ chosenNode: 'n', nodes: [{ node: 'n', feasible: true, total: 3 }] })[0]).toMatch(/only node/);
  });
});

describe('scoreColumns', () => {
  it('collects plugin names across nodes, sorted', () => {
    expect(scoreColumns(scheduled)).toEqual(['ImageLocality', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit']);
  });
});

describe('fromSchedulerDecision', () => {
  it("turns the scheduler's record into the Inspector's verdicts: chosen node, filter failures, weighted scores", async () => {
    const { Session } = await import('../../../engine/session');
    const { fromSchedulerDecision, explainInWords } = await import('./explain');
    const s = new Session({ seed: 1 });
    s.exec('kubectl create deployment web --image=nginx --replicas=1');
    const pod = s.cluster.store.list('Pod')[0];
    const decision = s.cluster.scheduler.explain('default', pod.metadata!.name!)!;
    const x = fromSchedulerDecision(decision);
    expect(x.chosenNode).toBe(pod.spec!.nodeName);
    const cp = x.nodes.find((n) => n.node === 'control-plane')!;
    expect(cp.feasible).toBe(false);
    expect(cp.failures![0].plugin).toBe('TaintToleration');
    const chosen = x.nodes.find((n) => n.node === x.chosenNode)!;
    expect(chosen.feasible).toBe(true);
    expect(Object.keys(chosen.scores ?? {})).toContain('NodeResourcesFit');
    expect(explainInWords(x)[0]).toMatch(new RegExp(`placed it on ${x.chosenNode}`));
  });
});
