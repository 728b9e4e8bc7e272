import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { filterEvents, type EventRow } from './filter';

/** Props of {@link EventsPanel}. */
export interface EventsPanelProps {
  /** Events oldest first, as `kubectl get events` sorts them. */
  events: readonly EventRow[];
  /** Panel heading (default "Events"). */
  title?: string;
}

/**
 * The cluster's events as `kubectl get events` prints them (LAST SEEN, TYPE, REASON, OBJECT,
 * MESSAGE), newest at the bottom. Follows new events unless the reader scrolled up; `/` focuses the
 * filter as in k9s, Escape clears it.
 */
export function EventsPanel({ events, title = 'Events' }: EventsPanelProps) {
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const filterRef = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const filterId = useId();
  const rows = useMemo(() => filterEvents(events, query), [events, query]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      filterRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [rows, follow]);

  const warnings = events.reduce((n, e) => n + (e.type === 'Warning' ? 1 : 0), 0);

  return (
    <section className="pp-panel pp-events" aria-labelledby={`${filterId}-h`}>
      <header className="pp-panel-header">
        <h2 id={`${filterId}-h`}>
          {title}{' '}
          <span className="pp-muted">
            {rows.length === events.length ? events.length : `${rows.length}/${events.length}`}
            {warnings > 0 && ` · ${warnings} warning${warnings === 1 ? '' : 's'}`}
          </span>
        </h2>
        <label className="pp-filter" htmlFor={filterId}>
          <span className="pp-visually-hidden">Filter events</span>
          <input
            id={filterId}
            ref={filterRef}
            type="search"
            placeholder="/ filter (e.g. warning, pod/web, !Pulled)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setQuery('');
                e.currentTarget.blur();
              }
            }}
          />
        </label>
      </header>
      <div
        className="pp-events-scroll"
        ref={scroller}
        tabIndex={0}
        role="region"
        aria-label="Events table"
        onScroll={(e) => {
          const el = e.currentTarget;
          setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
        }}
      >
        {events.length === 0 ? (
          <p className="pp-empty">No resources found in default namespace.</p>
        ) : (
          <table className="pp-table pp-events-table">
            <thead>
              <tr>
                <th scope="col">LAST SEEN</th>
                <th scope="col">TYPE</th>
                <th scope="col">REASON</th>
                <th scope="col">OBJECT</th>
                <th scope="col">MESSAGE</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e, i) => (
                <tr key={`${e.object}/${e.reason}/${e.message}/${i}`} className={e.type === 'Warning' ? 'pp-warning' : undefined} data-type={e.type}>
                  <td>{e.lastSeen}</td>
                  <td>
                    {e.type === 'Warning' && (
                      <span className="pp-icon" aria-hidden="true">
                        ⚠{' '}
                      </span>
                    )}
                    {e.type}
                  </td>
                  <td>{e.reason}</td>
                  <td>{e.object}</td>
                  <td className="pp-message">
                    {e.message}
                    {e.count > 1 && <span className="pp-muted"> (x{e.count})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {!follow && (
        <button
          type="button"
          className="pp-chip pp-follow"
          onClick={() => {
            setFollow(true);
          }}
        >
          ↓ Newest events
        </button>
      )}
    </section>
  );
}

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || !!t.closest('.cm-editor');
}
