import { useEffect, useRef, useState } from 'react';
import { Canvas } from './canvas/Canvas';
import { useActions, usePlayground } from './context';
import { nodeStatus, podTone } from './model';
import { SidePanel } from './SidePanel';
import { TimeControls } from './TimeControls';
import { applyTheme, readTheme, type Theme } from './theme';
import { usePresenter } from './presenter';
import { ShareButton, SharedNotice, type DecodeResult } from './share';
import type { Scenario } from '../worker/protocol';

/** "4 nodes (3 Ready) · 6 pods (6 running)". */
function ClusterSummary() {
  // Counted again only when the nodes or pods maps change (not on every clock tick).
  const memo = useRef<{ nodes?: unknown; pods?: unknown; counts: readonly number[] }>({ counts: [0, 0, 0, 0] });
  const [nodes, ready, pods, running] = usePlayground((s) => {
    const m = memo.current;
    if (m.nodes === s.nodes && m.pods === s.pods) return m.counts;
    let r = 0;
    for (const n of s.nodes.values()) if (nodeStatus(n) === 'Ready') r++;
    let ok = 0;
    for (const p of s.pods.values()) if (podTone(p) === 'ok') ok++;
    const counts = [s.nodes.size, r, s.pods.size, ok];
    // The same array while the counts are the same: no re-render.
    if (counts.some((c, i) => c !== m.counts[i])) m.counts = counts;
    m.nodes = s.nodes;
    m.pods = s.pods;
    return m.counts;
  });
  return (
    <p className="summary" aria-label="Cluster summary">
      {nodes} nodes ({ready} Ready) · {pods} pods ({running} running &amp; ready)
    </p>
  );
}

/** What a person looks for above the canvas: workloads to scale, add a node, owners, reset. */
function Toolbar({ scenario }: { scenario: Scenario }) {
  const { exec, send } = useActions();
  const deployments = usePlayground((s) => s.deployments);
  const nodeCount = usePlayground((s) => s.nodes.size);
  const showOwners = usePlayground((s) => s.showOwners);
  const setShowOwners = usePlayground((s) => s.setShowOwners);
  const nodeNames = usePlayground((s) => s.nodeNames);
  const nextNode = () => {
    let i = nodeCount;
    while (nodeNames.includes(`node-${i}`)) i++;
    return `node-${i}`;
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Cluster actions">
      {[...deployments.values()].map((d) => {
        const name = d.metadata?.name ?? '';
        const want = d.spec?.replicas ?? 1;
        const scale = (n: number) => void exec(`kubectl scale deployment ${name} -n ${d.metadata?.namespace ?? 'default'} --replicas=${Math.max(0, n)}`);
        return (
          <span key={name} className="workload" role="group" aria-label={`Deployment ${name}`}>
            <span className="workload-name">deploy/{name}</span>
            <button type="button" aria-label={`Scale deployment ${name} down`} onClick={() => scale(want - 1)}>
              −
            </button>
            <span aria-live="polite" className="replicas">
              {d.status?.readyReplicas ?? 0}/{want}
            </span>
            <button type="button" aria-label={`Scale deployment ${name} up`} onClick={() => scale(want + 1)}>
              +
            </button>
          </span>
        );
      })}
      <button type="button" onClick={() => void exec(`sim add-node ${nextNode()}`)}>
        + Add node
      </button>
      <label className="check">
        <input type="checkbox" checked={showOwners} onChange={(e) => setShowOwners(e.target.checked)} /> Show owners
      </label>
      <button type="button" onClick={() => void send({ type: 'reset', scenario })}>
        ↺ Reset
      </button>
    </div>
  );
}

function LiveRegion() {
  const text = usePlayground((s) => s.announcement);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}

export interface AppProps {
  scenario?: Scenario;
  /** Minimal chrome (embed): no side panel, no header title. */
  minimal?: boolean;
  /** The engine's seed (a share link carries it). */
  seed?: number;
  /** A share link the page was opened with (decoded, or why it could not be). */
  share?: DecodeResult;
}

/**
 * The playground page: header (title, cluster summary, theme, time controls), the canvas, and the
 * panels (beside it on wide screens, under it on narrow ones). Mount inside a PlaygroundProvider.
 */
export function App({ scenario = 'default', minimal = false, seed = 1, share }: AppProps) {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset.theme as Theme) || readTheme());
  const ready = usePlayground((s) => s.ready);
  const [presenter, setPresenter] = usePresenter();
  // The panels can step aside so the canvas takes the whole width (a projector, a small laptop);
  // inspecting something (a click on a pod or node) brings them back, as that opens the inspector.
  const [panels, setPanels] = useState(true);
  const selected = usePlayground((s) => s.selected);
  useEffect(() => {
    if (selected) setPanels(true);
  }, [selected]);
  const toggle = () => {
    const t: Theme = theme === 'dark' ? 'light' : 'dark';
    applyTheme(t);
    setTheme(t);
  };
  return (
    <div className={`app ${minimal ? 'minimal' : ''} ${presenter ? 'presenter' : ''}`}>
      <header className="app-header">
        {!minimal && (
          <div className="brand">
            <h1>
              <span aria-hidden="true" className="logo">◈</span> Pod Playground
            </h1>
            <ClusterSummary />
          </div>
        )}
        <TimeControls />
        <ShareButton scenario={scenario} seed={seed} />
        <button type="button" className="presenter-toggle" aria-pressed={presenter} aria-label="Presenter mode" aria-keyshortcuts="P" title="Larger text and controls for a projector (P)" onClick={() => setPresenter(!presenter)}>
          <svg className="icon-svg" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3 4h18v2h-1v9H4V6H3zm3 2v7h12V6zm5 10h2v2l3 3h-2.5L12 19.5 10.5 21H8l3-3z" />
          </svg>
          Presenter
        </button>
        {!minimal && (
          <button type="button" className="panels-toggle" aria-controls="side-panel" aria-expanded={panels} title={panels ? 'Give the canvas the whole width' : 'Show the console, YAML, events and inspector'} onClick={() => setPanels(!panels)}>
            {panels ? 'Hide panels' : 'Show panels'}
          </button>
        )}
        <button type="button" className="theme-toggle" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      {share && <SharedNotice share={share} />}
      <main className="app-main">
        <section className="stage" aria-label="Cluster">
          <Toolbar scenario={scenario} />
          {ready ? <Canvas theme={theme} large={scenario === 'storm'} /> : <p className="loading">Starting the cluster…</p>}
        </section>
        {!minimal && <SidePanel hidden={!panels} />}
      </main>
      <LiveRegion />
    </div>
  );
}
