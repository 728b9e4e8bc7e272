import { describe, expect, it } from 'vitest';
import { createHistory, pushHistory, splitPastedCommands, walkHistory } from './history';

describe('history', () => {
  it('walks back and forward and restores the draft', () => {
    let h = createHistory(['kubectl get nodes']);
    h = pushHistory(h, 'kubectl get pods');
    let r = walkHistory(h, 'up', 'kubectl desc');
    expect(r.line).toBe('kubectl get pods');
    r = walkHistory(r.history, 'up', r.line);
    expect(r.line).toBe('kubectl get nodes');
    r = walkHistory(r.history, 'up', r.line);
    expect(r.line).toBe('kubectl get nodes'); // stays at the oldest
    r = walkHistory(r.history, 'down', r.line);
    expect(r.line).toBe('kubectl get pods');
    r = walkHistory(r.history, 'down', r.line);
    expect(r.line).toBe('kubectl desc'); // the draft comes back
    r = walkHistory(r.history, 'down', r.line);
    expect(r.line).toBe('kubectl desc');
  });

  it('ignores blank lines and immediate duplicates', () => {
    let h = createHistory();
    h = pushHistory(h, 'k get pods');
    h = pushHistory(h, '  k get pods ');
    h = pushHistory(h, '   ');
    h = pushHistory(h, 'k get nodes');
    h = pushHistory(h, 'k get pods');
    expect(h.entries).toEqual(['k get pods', 'k get nodes', 'k get pods']);
  });

  it('walking an empty history keeps the draft', () => {
    const r = walkHistory(createHistory(), 'up', 'abc');
    expect(r.line).toBe('abc');
  });
});

describe('splitPastedCommands', () => {
  it.each([
    ['kubectl get pods\nkubectl get nodes\n', ['kubectl get pods', 'kubectl get nodes']],
    ['\n# make a deployment\nkubectl create deployment web \\\n  --image=nginx\n\nsim advance 30s', ['kubectl create deployment web --image=nginx', 'sim advance 30s']],
    ['$ kubectl get pods\r\n$ k get no', ['kubectl get pods', 'k get no']],
    ['', []],
  ] as [string, string[]][])('%j', (text, cmds) => expect(splitPastedCommands(text)).toEqual(cmds));
});
