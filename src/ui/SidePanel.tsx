import { Activity, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Console, EventsPanel, Inspector, YamlEditor, type EventRow, type SchedulingExplanation } from './panels';
import { humanDuration } from '../engine/kubectl/duration';
import { useActions, usePlayground, usePlaygroundStore } from './context';
import { fromSchedulerDecision } from './panels/inspector/explain';
import type { SchedulingExplanation as SchedulerDecision } from '../engine/scheduler/scheduler';

type Tab = 'Console' | 'YAML' | 'Events' | 'Inspect';
const TABS: Tab[] = ['Console', 'YAML', 'Events', 'Inspect'];

/** Names for Tab completion: the kind the line is about, else pods and nodes. */
function namesFor(line: string, s: ReturnType<ReturnType<typeof usePlaygroundStore>['getState']>): string[] {
  const short = (m: Map<string, unknown>) => [...m.keys()].map((k) => k.split('/').pop()!);
  if (/\b(nodes?|no|cordon|uncordon|drain|taint|kill-node|start-node|partition-node|heal-node)\b/.test(line)) return short(s.nodes);
  if (/\b(deployments?|deploy|scale|rollout)\b/.test(line)) return short(s.deployments);
  if (/\b(services?|svc)\b/.test(line)) return short(s.services);
  if (/\b(replicasets?|rs)\b/.test(line)) return short(s.replicasets);
  return [...short(s.pods), ...short(s.nodes)];
}

/** The panels beside (or under) the canvas: Console, YAML, Events, Inspect — WAI-ARIA tabs. */
export function SidePanel({ hidden = false }: { hidden?: boolean }) {
  const store = usePlaygroundStore();
  const actions = useActions();
  const [tab, setTab] = useState<Tab>('Console');
  const [yamlOpened, setYamlOpened] = useState(false);
  const selected = usePlayground((s) => s.selected);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const open = useCallback((t: Tab) => {
    setTab(t);
    if (t === 'YAML') setYamlOpened(true);
  }, []);
  useEffect(() => {
    if (selected) open('Inspect');
  }, [selected, open]);

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : e.key === 'Home' ? TABS[0] : e.key === 'End' ? TABS[TABS.length - 1] : undefined;
    if (!next) return;
    e.preventDefault();
    open(next);
    tabRefs.current[next]?.focus();
  };
  const run = useCallback((line: string) => actions.exec(line), [actions]);
  const completions = useCallback((line: string) => namesFor(line, store.getState()), [store]);
  const [initialHistory] = useState(() => store.getState().log.map((l) => l.line));

  return (
    // Hidden, not unmounted: the console's output and history, the editor's text and the tab stay.
    <aside className="side-panel" id="side-panel" aria-label="Panels" hidden={hidden}>
      <div role="tablist" aria-label="Panels" className="tabs" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button key={t} ref={(el) => void (tabRefs.current[t] = el)} role="tab" type="button" id={`tab-${t}`} aria-controls={`panel-${t}`} aria-selected={tab === t} tabIndex={tab === t ? 0 : -1} onClick={() => open(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="panel-Console" aria-labelledby="tab-Console" hidden={tab !== 'Console'} className="tab-panel">
        <RecentCommands />
        <Console run={run} completions={completions} initialHistory={initialHistory} banner="Type kubectl or sim commands. Try: kubectl get pods -o wide" />
      </div>
      <div role="tabpanel" id="panel-YAML" aria-labelledby="tab-YAML" hidden={tab !== 'YAML'} className="tab-panel">
        {yamlOpened && <YamlEditor onApply={actions.apply} />}
      </div>
      <div role="tabpanel" id="panel-Events" aria-labelledby="tab-Events" hidden={tab !== 'Events'} className="tab-panel">
        {/* Hidden, the table renders at idle priority and runs no layout effects (its follow-scroll
            read the page's layout after every commit, forcing a reflow per frame during a storm). */}
        <Activity mode={tab === 'Events' ? 'visible' : 'hidden'}>
          <EventsTab />
        </Activity>
      </div>
      <div role="tabpanel" id="panel-Inspect" aria-labelledby="tab-Inspect" hidden={tab !== 'Inspect'} className="tab-panel">
        <InspectTab />
      </div>
    </aside>
  );
}

/** The command log's tail: lines run by buttons land here too, so every change has its command. */
function RecentCommands() {
  const log = usePlayground((s) => s.log);
  const tail = log.slice(-4);
  if (!tail.length) return null;
  return (
    <details className="recent" open>
      <summary>Commands run ({log.length})</summary>
      <ol>
        {tail.map((l, i) => (
          <li key={`${l.t}-${i}`}>
            <code>$ {l.line}</code>
          </li>
        ))}
      </ol>
    </details>
  );
}

function EventsTab() {
  const events = usePlayground((s) => s.events);
  const nowSec = usePlayground((s) => Math.floor(s.now / 5000));
  const rows: EventRow[] = useMemo(() => {
    const now = nowSec * 5000;
    return events.map((e) => ({ lastSeen: humanDuration(Math.max(0, now - e.last)), type: e.type, reason: e.reason, object: e.object, message: e.message, count: e.count }));
  }, [events, nowSec]);
  return <EventsPanel events={rows} />;
}

interface Inspected {
  describe: string;
  yaml: string;
  logs?: string;
  explanation?: SchedulingExplanation;
}

function InspectTab() {
  const selected = usePlayground((s) => s.selected);
  const obj = usePlayground((s) => (selected?.kind === 'Pod' ? s.pods.get(selected.key) : selected?.kind === 'Node' ? s.nodes.get(selected.key) : undefined));
  const store = usePlaygroundStore();
  const actions = useActions();
  const [data, setData] = useState<Inspected | null>(null);
  const [actionOutput, setActionOutput] = useState('');
  const ns = obj?.metadata?.namespace;
  const name = obj?.metadata?.name;
  useEffect(() => {
    if (!selected || !name) return;
    let live = true;
    // At most one inspection per half second while the object keeps changing.
    const h = setTimeout(() => {
      void actions.inspect(selected.kind, ns, name).then((r) => live && setData({ describe: r.describe, yaml: r.yaml, logs: r.logs, explanation: r.explanation ? fromSchedulerDecision(r.explanation as SchedulerDecision) : undefined }));
    }, 150);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [selected, obj, ns, name, actions]);
  if (!selected || !obj || !name) return <p className="hint">Click a pod or a node on the canvas to inspect it.</p>;
  const isPod = selected.kind === 'Pod';
  const onAction = (a: string) => {
    const nsFlag = ns ? ` -n ${ns}` : '';
    const line =
      a === 'Delete' ? `kubectl delete pod ${name}${nsFlag} --wait=false`
      : a === 'Logs' ? `kubectl logs ${name}${nsFlag}`
      : a === 'Exec' ? `kubectl exec ${name}${nsFlag} -- env`
      : a === 'Describe' ? `kubectl describe ${isPod ? 'pod' : 'node'} ${name}${nsFlag}`
      : a === 'Kill' ? `sim kill-node ${name}`
      : a === 'Start' ? `sim start-node ${name}`
      : a === 'Cordon' ? `kubectl cordon ${name}`
      : a === 'Drain' ? `kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`
      : '';
    if (line) void actions.exec(line).then((r) => setActionOutput(`$ ${line}\n${r.output}`));
  };
  const conditions = (obj.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, time: c.lastTransitionTime ?? '' }));
  return (
    <div className="inspect">
      <Inspector
        title={name}
        kind={selected.kind}
        describe={data?.describe ?? 'Loading…'}
        yaml={data?.yaml ?? ''}
        logs={data?.logs}
        explanation={data?.explanation}
        conditionsTimeline={conditions}
        actions={isPod ? ['Delete', 'Logs', 'Exec', 'Describe'] : ['Kill', 'Start', 'Cordon', 'Drain', 'Describe']}
        onAction={onAction}
        onClose={() => store.getState().select(null)}
      />
      {actionOutput && <pre className="action-output" aria-live="polite">{actionOutput}</pre>}
    </div>
  );
}
