import { describe, expect, it } from 'vitest';
import { EmbedBridge, type BridgeWindow } from './bridge';

function fakeWindow() {
  const sent: { msg: unknown; target: string }[] = [];
  const parent = { postMessage: (msg: unknown, target: string) => void sent.push({ msg, target }) };
  let listener: ((e: MessageEvent) => void) | undefined;
  const win: BridgeWindow = {
    parent,
    addEventListener: (_t, fn) => (listener = fn),
    removeEventListener: () => (listener = undefined),
  };
  const deliver = (data: unknown, origin: string, source: unknown = parent) => listener?.({ data, origin, source } as unknown as MessageEvent);
  return { win, parent, sent, deliver, listening: () => !!listener };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('EmbedBridge', () => {
  const cmd = (line: string, id: number) => ({ source: 'pod-playground', v: 1, type: 'command', id, line });

  it('runs commands from an allowed origin in order and replies to that origin', async () => {
    const f = fakeWindow();
    const ran: string[] = [];
    new EmbedBridge({ win: f.win, origins: ['https://host.example'], selfOrigin: 'https://embed.example', exec: async (l) => (ran.push(l), { output: `ok ${l}\n`, exitCode: 0 }) });
    f.deliver(cmd('kubectl get pods', 1), 'https://host.example');
    f.deliver(cmd('sim advance 1m', 2), 'https://host.example');
    await flush();
    expect(ran).toEqual(['kubectl get pods', 'sim advance 1m']);
    expect(f.sent).toEqual([
      { msg: { source: 'pod-playground', v: 1, type: 'result', id: 1, output: 'ok kubectl get pods\n', exitCode: 0 }, target: 'https://host.example' },
      { msg: { source: 'pod-playground', v: 1, type: 'result', id: 2, output: 'ok sim advance 1m\n', exitCode: 0 }, target: 'https://host.example' },
    ]);
  });

  it('ignores other origins, other sources and other widgets, silently', async () => {
    const f = fakeWindow();
    const ran: string[] = [];
    new EmbedBridge({ win: f.win, origins: ['https://host.example'], selfOrigin: 'https://embed.example', exec: async (l) => (ran.push(l), { output: '', exitCode: 0 }) });
    f.deliver(cmd('kubectl delete pods --all', 1), 'https://evil.example');
    f.deliver(cmd('kubectl delete pods --all', 2), 'https://host.example', { postMessage() {} });
    f.deliver({ source: 'other-widget', type: 'command', line: 'x' }, 'https://host.example');
    await flush();
    expect(ran).toEqual([]);
    expect(f.sent).toEqual([]);
  });

  it('answers malformed messages of ours with an error', async () => {
    const f = fakeWindow();
    new EmbedBridge({ win: f.win, origins: ['*'], selfOrigin: 'null', exec: async () => ({ output: '', exitCode: 0 }) });
    f.deliver({ source: 'pod-playground', v: 9, type: 'command', id: 'x', line: 'y' }, 'null');
    expect(f.sent).toEqual([{ msg: { source: 'pod-playground', v: 1, type: 'error', id: 'x', message: 'unsupported API version 9; this embed speaks v1' }, target: '*' }]);
  });

  it('reports a failing command as a result with exit code 1', async () => {
    const f = fakeWindow();
    new EmbedBridge({ win: f.win, origins: ['https://h'], selfOrigin: 'https://e', exec: async () => Promise.reject(new Error('engine stopped')) });
    f.deliver(cmd('k get po', 5), 'https://h');
    await flush();
    expect(f.sent[0].msg).toMatchObject({ type: 'result', id: 5, output: 'error: engine stopped\n', exitCode: 1 });
  });

  it('broadcasts to each allowed origin; nothing when not framed; dispose stops listening', () => {
    const f = fakeWindow();
    const b = new EmbedBridge({ win: f.win, origins: ['https://a', 'https://b'], selfOrigin: 'https://e', exec: async () => ({ output: '', exitCode: 0 }) });
    b.post({ type: 'resize', width: 10, height: 20 });
    expect(f.sent.map((s) => s.target)).toEqual(['https://a', 'https://b']);
    b.dispose();
    expect(f.listening()).toBe(false);
    const top = fakeWindow();
    const self = top.win as BridgeWindow & { parent: unknown };
    self.parent = self as never; // a top-level page is its own parent
    new EmbedBridge({ win: self, origins: ['*'], selfOrigin: 'https://e', exec: async () => ({ output: '', exitCode: 0 }) }).post({ type: 'ready', version: 1, scenario: 'x' });
    expect(top.sent).toEqual([]);
  });
});
