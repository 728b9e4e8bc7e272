import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { humanDuration } from '../engine/kubectl/duration';
import { PlaygroundContext, type PlaygroundHandle } from '../ui/context';
import { useDisposeOnUnmount } from '../ui/useDisposeOnUnmount';
import { nodeStatus, podStatus } from '../ui/model';
import { createPlaygroundStore, type PlaygroundState, type PlaygroundStore } from '../ui/store';
import { Console, EventsPanel, namesForLine, YamlEditor, type EventRow } from '../ui/panels';
import type { CompactEvent } from '../worker/protocol';
import { EmbedBridge } from './bridge';
import type { EmbedConfig } from './config';
import { startEngine } from './engine';
import type { StateSummary } from './messages';

/** The summary sent to the host as `state` (and compared to send only changes). */
export function summarize(s: Pick<PlaygroundState, 'now' | 'nodes' | 'pods' | 'nodeNames'>): StateSummary {
  const byStatus: Record<string, number> = {};
  for (const p of s.pods.values()) {
    const st = podStatus(p);
    byStatus[st] = (byStatus[st] ?? 0) + 1;
  }
  const names = s.nodeNames.length ? s.nodeNames : [...s.nodes.keys()];
  return {
    now: s.now,
    nodes: names.flatMap((n) => {
      const node = s.nodes.get(n);
      return node ? [{ name: n, status: nodeStatus(node) }] : [];
    }),
    pods: { total: s.pods.size, byStatus },
  };
}

function toRow(e: CompactEvent, now: number): EventRow {
  return { lastSeen: humanDuration(now - e.last), type: e.type, reason: e.reason, object: e.object, message: e.message, count: e.count };
}

/**
 * The embed: one playground (its own store and engine) with minimal chrome, the panels the URL
 * asks for, and the postMessage bridge to the host page.
 */
export function EmbedApp({ config }: { config: EmbedConfig }) {
  const [handle] = useState(() => createHandle(config));
  const { store, bridge } = handle;
  useDisposeOnUnmount(() => handle.dispose());

  return (
    <PlaygroundContext.Provider value={handle}>
      <main className="embed" aria-label="Pod Playground">
        <h1 className="pp-visually-hidden">Pod Playground</h1>
        {config.canvas && <ClusterView store={store} />}
        {config.panels.includes('yaml') && (
          <div className="embed-yaml">
            <YamlEditor onApply={handle.actions.apply} storageKey={null} />
          </div>
        )}
        {config.panels.includes('console') && (
          <div className="embed-console">
            <Console run={handle.actions.exec} completions={(line) => namesForLine(line, names(store.getState()))} />
          </div>
        )}
        {config.panels.includes('events') && <EmbedEvents store={store} />}
        <Announcer store={store} />
        <span hidden data-testid="embed-bridge" data-embedded={bridge.embedded ? 'true' : 'false'} />
      </main>
    </PlaygroundContext.Provider>
  );
}

function names(s: PlaygroundState) {
  const short = (keys: Iterable<string>) => [...keys].map((k) => k.slice(k.indexOf('/') + 1));
  return { pods: short(s.pods.keys()), nodes: [...s.nodes.keys()], deployments: short(s.deployments.keys()), replicasets: short(s.replicasets.keys()), services: short(s.services.keys()), namespaces: ['default', 'kube-system', 'kube-node-lease', 'kube-public'] };
}

interface EmbedHandle extends PlaygroundHandle {
  bridge: EmbedBridge;
  dispose(): void;
}

function createHandle(config: EmbedConfig): EmbedHandle {
  const store = createPlaygroundStore({ playing: !config.paused, speed: config.speed });
  let lastSummary = '';
  const sentEvents = new Map<string, number>();
  const { client } = startEngine({ scenario: config.scenario, seed: config.seed, paused: config.paused }, (diff) => {
    store.getState().applyDiff(diff);
    for (const e of diff.events) {
      if (sentEvents.get(e.key) === e.count) continue;
      sentEvents.set(e.key, e.count);
      bridge.post({ type: 'event', event: { type: e.type, reason: e.reason, object: e.object, message: e.message, count: e.count, lastSeen: e.last } });
    }
    const summary = summarize(store.getState());
    const sig = JSON.stringify({ ...summary, now: 0 });
    if (sig !== lastSummary) {
      lastSummary = sig;
      bridge.post({ type: 'state', state: summary });
    }
  });
  const exec = async (line: string, stdin?: string) => {
    const r = await client.request({ type: 'exec', line, ...(stdin !== undefined ? { stdin } : {}) });
    return { output: r.output, exitCode: r.exitCode };
  };
  const bridge = new EmbedBridge({ win: window, origins: config.origins, selfOrigin: globalThis.origin, exec });
  void client.ready.then(async () => {
    if (config.speed !== 1) await client.request({ type: 'setSpeed', speed: config.speed });
    bridge.post({ type: 'ready', version: 1, scenario: config.scenario });
  });
  const observer = typeof ResizeObserver === 'undefined' ? undefined : watchSize((width, height) => bridge.post({ type: 'resize', width, height }));
  return {
    store,
    bridge,
    actions: {
      exec,
      async apply(text) {
        const r = await client.request({ type: 'apply', text });
        return { output: r.output, exitCode: r.exitCode, errors: r.errors ?? [] };
      },
      inspect: (kind, namespace, name) => client.request({ type: 'inspect', kind, name, ...(namespace ? { namespace } : {}) }),
      send: (cmd) => client.request(cmd) as never,
    },
    dispose() {
      observer?.disconnect();
      bridge.dispose();
      client.terminate();
    },
  };
}

/** Auto-resize: report the content size whenever it changes (the host sizes the iframe). */
function watchSize(report: (w: number, h: number) => void): ResizeObserver {
  let last = '';
  const ro = new ResizeObserver(() => {
    const el = document.documentElement;
    const main = document.querySelector('main');
    const w = Math.ceil(el.scrollWidth);
    const h = Math.ceil(main ? main.getBoundingClientRect().height : el.scrollHeight);
    const sig = `${w}x${h}`;
    if (sig === last) return;
    last = sig;
    report(w, h);
  });
  ro.observe(document.body);
  const main = document.querySelector('main');
  if (main) ro.observe(main);
  return ro;
}

function EmbedEvents({ store }: { store: PlaygroundStore }) {
  const events = useStore(store, (s) => s.events);
  const now = useStore(store, (s) => Math.floor(s.now / 1000) * 1000);
  const rows = useMemo(() => events.map((e) => toRow(e, now)), [events, now]);
  return (
    <div className="embed-events">
      <EventsPanel events={rows} />
    </div>
  );
}

/**
 * What the embed shows of the cluster until the shared canvas is mounted here: nodes with their
 * status and pods with their kubectl STATUS, as text (never colour alone).
 */
function ClusterView({ store }: { store: PlaygroundStore }) {
  const ready = useStore(store, (s) => s.ready);
  const nodeNames = useStore(store, useShallow((s) => (s.nodeNames.length ? s.nodeNames : [...s.nodes.keys()])));
  return (
    <section className="embed-cluster" aria-label="Cluster">
      {!ready && nodeNames.length === 0 ? (
        <p className="pp-empty">Starting the cluster…</p>
      ) : (
        <ul className="embed-nodes">
          {nodeNames.map((n) => (
            <NodeSummary key={n} store={store} name={n} />
          ))}
        </ul>
      )}
    </section>
  );
}

function NodeSummary({ store, name }: { store: PlaygroundStore; name: string }) {
  const node = useStore(store, (s) => s.nodes.get(name));
  const podKeys = useStore(store, useShallow((s) => s.podsByNode.get(name) ?? []));
  const status = node ? nodeStatus(node) : 'Unknown';
  return (
    <li className="embed-node" data-status={status}>
      <div className="embed-node-title">
        <strong>{name}</strong> <span className={`embed-status embed-status-${status}`}>{status === 'Ready' ? '✔' : '✖'} {status}</span>
      </div>
      <ul className="embed-pods">
        {podKeys.map((k) => (
          <PodSummary key={k} store={store} podKey={k} />
        ))}
        {podKeys.length === 0 && <li className="pp-muted">no pods</li>}
      </ul>
    </li>
  );
}

function PodSummary({ store, podKey }: { store: PlaygroundStore; podKey: string }) {
  const pod = useStore(store, (s) => s.pods.get(podKey));
  if (!pod) return null;
  return (
    <li className="embed-pod">
      <span className="pp-mono-inline">{pod.metadata?.name}</span> <span className="pp-muted">{podStatus(pod)}</span>
    </li>
  );
}

/** Polite live region: the store's announcement of events and state changes. */
function Announcer({ store }: { store: PlaygroundStore }) {
  const text = useStore(store, (s) => s.announcement);
  const ref = useRef<HTMLDivElement>(null);
  return (
    <div ref={ref} className="pp-visually-hidden" role="status" aria-live="polite">
      {text}
    </div>
  );
}
