import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commonPrefix, complete, grammarCandidates, tokenize } from './completion';

describe('tokenize', () => {
  it.each([
    ['', [], '', 0],
    ['kubectl', [], 'kubectl', 0],
    ['kubectl ', ['kubectl'], '', 8],
    ['kubectl get  po', ['kubectl', 'get'], 'po', 13],
  ])('%j', (line, words, current, start) => {
    expect(tokenize(line)).toEqual({ words, current, start });
  });
});

describe('complete', () => {
  it.each([
    // [line, names, expected line, expected candidates]
    ['kub', [], 'kubectl ', ['kubectl']],
    ['s', [], 'sim ', ['sim']],
    ['kubectl ge', [], 'kubectl get ', ['get']],
    ['k desc', [], 'k describe ', ['describe']],
    ['kubectl get po', [], 'kubectl get pods ', ['pods', 'po']].map((x, i) => (i === 2 ? 'kubectl get po' : x)),
    ['kubectl get dep', [], 'kubectl get deploy', ['deployments', 'deploy']],
    ['kubectl get pods web', ['web-1', 'web-2'], 'kubectl get pods web-', ['web-1', 'web-2']],
    ['kubectl get pods web-2', ['web-1', 'web-2'], 'kubectl get pods web-2 ', ['web-2']],
    ['kubectl get pods -o w', [], 'kubectl get pods -o wide ', ['wide']],
    ['kubectl get pods --output=y', [], 'kubectl get pods --output=yaml ', ['--output=yaml']],
    ['kubectl get pods --show', [], 'kubectl get pods --show-labels ', ['--show-labels']],
    ['kubectl drain node-1 --ign', [], 'kubectl drain node-1 --ignore-daemonsets ', ['--ignore-daemonsets']],
    ['kubectl rollout st', [], 'kubectl rollout status ', ['status']],
    ['kubectl rollout status d', [], 'kubectl rollout status d', ['deployment/', 'daemonset/']],
    ['kubectl rollout status depl', [], 'kubectl rollout status deployment/', ['deployment/']],
    ['sim kill', [], 'sim kill-node ', ['kill-node']],
    ['sim kill-node n', ['node-1', 'node-2'], 'sim kill-node node-', ['node-1', 'node-2']],
    ['sim cluster --no', [], 'sim cluster --nodes ', ['--nodes']],
    ['kubectl xyz', [], 'kubectl xyz', []],
    ['kubectl get pods -n kube', ['kube-system'], 'kubectl get pods -n kube-system ', ['kube-system']],
  ] as [string, string[], string, string[]][])('%j with names %j', (line, names, expected, candidates) => {
    const r = complete(line, names);
    expect(r.line).toBe(expected);
    expect(r.candidates).toEqual(candidates);
  });

  it('never offers object names in place of a flag', () => {
    expect(complete('kubectl get pods -', ['-weird']).candidates).not.toContain('-weird');
  });

  it('skips flag values when finding the verb', () => {
    expect(grammarCandidates(['kubectl', '-n', 'default'], 'g')).toContain('get');
    expect(grammarCandidates(['kubectl', '-n', 'default', 'get'], '')).toContain('pods');
  });

  it('only ever extends the line, and every candidate extends the current word (property)', () => {
    const words = fc.constantFrom('kubectl', 'k', 'sim', 'get', 'pods', '-o', 'w', 'de', '--', 'node-', 'x', '');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 5 }), fc.array(fc.constantFrom('node-1', 'node-2', 'web-abc', 'db'), { maxLength: 4 }), (ws, names) => {
        const line = ws.join(' ');
        const r = complete(line, names);
        const { current } = tokenize(line);
        expect(r.line.startsWith(line)).toBe(true);
        for (const c of r.candidates) expect(c.startsWith(current)).toBe(true);
        expect(new Set(r.candidates).size).toBe(r.candidates.length);
      }),
    );
  });
});

describe('commonPrefix', () => {
  it.each([
    [[], ''],
    [['abc'], 'abc'],
    [['web-1', 'web-2'], 'web-'],
    [['a', 'b'], ''],
  ] as [string[], string][])('%j → %j', (items, p) => expect(commonPrefix(items)).toBe(p));
});
