import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { explainInWords, scoreColumns, type SchedulingExplanation } from './explain';

/** A condition transition, e.g. `{type: 'Ready', status: 'True', time: '2025-…Z'}`. */
export interface ConditionPoint {
  type: string;
  status: string;
  time: string;
}

/** Props of {@link Inspector}. */
export interface InspectorProps {
  /** e.g. the pod's name. */
  title: string;
  /** e.g. `Pod`, `Node`, `Deployment`. */
  kind: string;
  /** `kubectl describe` output. */
  describe: string;
  /** `kubectl get -o yaml` output. */
  yaml: string;
  /** Scheduler explanation (pods only). */
  explanation?: SchedulingExplanation;
  /** Condition transitions, oldest first. */
  conditionsTimeline?: ConditionPoint[];
  /** `kubectl logs` output (pods only). */
  logs?: string;
  /** Actions offered as buttons, e.g. `delete`, `logs`; called with the action name. */
  actions?: string[];
  onAction?(action: string): void;
  /** Close button handler (Escape as well, k9s-style). */
  onClose?(): void;
}

type Tab = 'Describe' | 'YAML' | 'Logs' | 'Why';

/**
 * Everything about one object: Describe / YAML / Logs / Why tabs (WAI-ARIA tabs: arrow keys, Home,
 * End; k9s keys `d`, `y`, `l`, `w` jump to a tab when the inspector has focus).
 */
export function Inspector({ title, kind, describe, yaml, explanation, conditionsTimeline, logs, actions, onAction, onClose }: InspectorProps) {
  const tabs: Tab[] = ['Describe', 'YAML', ...(logs !== undefined || kind === 'Pod' ? (['Logs'] as const) : []), ...(explanation || kind === 'Pod' ? (['Why'] as const) : [])];
  const [selected, setSelected] = useState<Tab>('Describe');
  const active = tabs.includes(selected) ? selected : 'Describe';
  const id = useId();
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  const select = (t: Tab, focus: boolean) => {
    setSelected(t);
    if (focus) tabRefs.current.get(t)?.focus();
  };

  const onTabKey = (e: KeyboardEvent) => {
    const i = tabs.indexOf(active);
    const to = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : undefined;
    if (to) {
      e.preventDefault();
      select(to, true);
    }
  };

  const onPanelKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement).tagName === 'INPUT') return;
    const k9s: Record<string, Tab> = { d: 'Describe', y: 'YAML', l: 'Logs', w: 'Why' };
    const t = k9s[e.key];
    if (t && tabs.includes(t)) {
      e.preventDefault();
      select(t, true);
    } else if (e.key === 'Escape' && onClose) {
      e.preventDefault();
      onClose();
    }
  };

  return (
    <section className="pp-panel pp-inspector" aria-labelledby={`${id}-title`} onKeyDown={onPanelKey}>
      <header className="pp-panel-header">
        <h2 id={`${id}-title`}>
          <span className="pp-kind">{kind}</span> {title}
        </h2>
        <div className="pp-actions">
          {actions?.map((a) => (
            <button key={a} type="button" className="pp-button" onClick={() => onAction?.(a)}>
              {a}
            </button>
          ))}
          {onClose && (
            <button type="button" className="pp-button pp-icon-button" aria-label={`Close ${kind} ${title}`} onClick={onClose}>
              ×
            </button>
          )}
        </div>
      </header>
      <div role="tablist" aria-label={`${kind} ${title} details`} className="pp-tabs" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              if (el) tabRefs.current.set(t, el);
              else tabRefs.current.delete(t);
            }}
            role="tab"
            type="button"
            id={`${id}-tab-${t}`}
            aria-selected={t === active}
            aria-controls={`${id}-panel-${t}`}
            tabIndex={t === active ? 0 : -1}
            className="pp-tab"
            onClick={() => select(t, false)}
          >
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel-${active}`} aria-labelledby={`${id}-tab-${active}`} className="pp-tabpanel" tabIndex={0}>
        {active === 'Describe' && (
          <>
            {conditionsTimeline && conditionsTimeline.length > 0 && <ConditionsTimeline points={conditionsTimeline} />}
            <pre className="pp-mono">{describe}</pre>
          </>
        )}
        {active === 'YAML' && <pre className="pp-mono">{yaml}</pre>}
        {active === 'Logs' && (logs ? <pre className="pp-mono">{logs}</pre> : <p className="pp-empty">No logs yet.</p>)}
        {active === 'Why' && (explanation ? <Why x={explanation} /> : <p className="pp-empty">The scheduler has not considered this pod yet.</p>)}
      </div>
    </section>
  );
}

function ConditionsTimeline({ points }: { points: ConditionPoint[] }) {
  return (
    <ol className="pp-timeline" aria-label="Condition changes">
      {points.map((p, i) => (
        <li key={i} data-status={p.status}>
          <span className="pp-icon" aria-hidden="true">
            {p.status === 'True' ? '✓' : p.status === 'False' ? '✗' : '?'}
          </span>{' '}
          <span className="pp-mono-inline">{p.time}</span> {p.type}={p.status}
        </li>
      ))}
    </ol>
  );
}

function Why({ x }: { x: SchedulingExplanation }) {
  const cols = scoreColumns(x);
  return (
    <div className="pp-why">
      <ul className="pp-why-words">
        {explainInWords(x).map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ul>
      <div className="pp-table-scroll" tabIndex={0} role="region" aria-label="Per-node filter results and scores">
        <table className="pp-table">
          <caption className="pp-visually-hidden">Per-node filter results and scores</caption>
          <thead>
            <tr>
              <th scope="col">NODE</th>
              <th scope="col">FILTERS</th>
              {cols.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
              <th scope="col">TOTAL</th>
            </tr>
          </thead>
          <tbody>
            {x.nodes.map((n) => (
              <tr key={n.node} className={n.node === x.chosenNode ? 'pp-chosen' : n.feasible ? undefined : 'pp-infeasible'}>
                <th scope="row">
                  {n.node === x.chosenNode && (
                    <span className="pp-icon" aria-hidden="true">
                      ★{' '}
                    </span>
                  )}
                  {n.node}
                  {n.node === x.chosenNode && <span className="pp-visually-hidden"> (chosen)</span>}
                </th>
                <td>{n.feasible ? '✓ passed' : `✗ ${(n.failures ?? []).map((f) => `${f.plugin}: ${f.reason}`).join('; ') || 'filtered out'}`}</td>
                {cols.map((c) => (
                  <td key={c} className="pp-num">
                    {n.feasible ? (n.scores?.[c] ?? '') : ''}
                  </td>
                ))}
                <td className="pp-num">{n.feasible ? (n.total ?? '') : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
