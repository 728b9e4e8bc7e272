/**
 * The Share button (copies a link that rebuilds this cluster) and the notice shown when a page
 * opens such a link. See codec.ts for the link format.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useActions, usePlaygroundStore } from '../context';
import type { Scenario } from '../../worker/protocol';
import { LONG_LINK_CHARS, encodeShare, shareUrl, type DecodeResult } from './codec';
import './share.css';

/** `00:04:12` for virtual ms. */
export function hhmmss(ms: number): string {
  const s = Math.floor(ms / 1000);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

type Shared = { state: 'idle' } | { state: 'open'; url: string; copied: boolean };

/**
 * Copies a link to the current cluster (scenario, seed, command log, virtual time). Where the
 * clipboard is refused (an iframe, permissions), the link is shown selected in a read-only field.
 */
export function ShareButton({ scenario, seed }: { scenario: Scenario; seed: number }) {
  const store = usePlaygroundStore();
  const [shared, setShared] = useState<Shared>({ state: 'idle' });
  const [error, setError] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  const share = async () => {
    setError('');
    // The store is at most one frame behind the worker, and its clock and log come from the same diff.
    const { log, now } = store.getState();
    let url: string;
    try {
      url = shareUrl(await encodeShare({ scenario, seed, t: now, log }));
    } catch (e) {
      setError(`Could not make a link: ${(e as Error).message}`);
      return;
    }
    let copied: boolean;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      copied = false;
    }
    setShared({ state: 'open', url, copied });
  };

  const close = () => {
    setShared({ state: 'idle' });
    button.current?.focus();
  };

  useEffect(() => {
    // Without the clipboard, the link is ready to copy by hand: focused and selected.
    if (shared.state === 'open' && !shared.copied) field.current?.select();
  }, [shared]);

  const open = shared.state === 'open';
  useEffect(() => {
    if (!open) return;
    // Escape closes the popover wherever focus is (it usually stays on the Share button).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setShared({ state: 'idle' });
      if (document.activeElement === document.body || document.activeElement?.closest('.share-popover')) button.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <span className="share">
      <button
        ref={button}
        type="button"
        className="share-button"
        aria-label="Share link to this cluster"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        title="Copy a link that rebuilds this cluster at this moment"
        onClick={() => void share()}
      >
        <svg className="icon-svg" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M18 16a3 3 0 0 0-2.4 1.2l-6.7-3.4a3 3 0 0 0 0-1.6l6.7-3.4A3 3 0 1 0 15 7l-6.7 3.4a3 3 0 1 0 0 3.2L15 17a3 3 0 1 0 3-1z" />
        </svg>
        Share
      </button>
      {error && (
        <span className="share-popover" role="alert">
          {error}
        </span>
      )}
      {open && (
        <div
          className="share-popover"
          id={id}
          role="group"
          aria-label="Share link"
        >
          <p className="share-status" role="status">
            {shared.copied ? '✓ Link copied. It rebuilds this cluster at this moment, paused.' : 'Copy this link (the clipboard is not available here):'}
          </p>
          <input ref={field} className="share-url" type="text" readOnly value={shared.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} data-testid="share-url" />
          {shared.url.length > LONG_LINK_CHARS && (
            <p className="share-hint">This link is long ({shared.url.length.toLocaleString('en')} characters): some chat and mail apps may cut it.</p>
          )}
          <button type="button" className="share-close" onClick={close}>
            Close
          </button>
        </div>
      )}
    </span>
  );
}

/**
 * Opens a share link: sends the decoded payload to the worker as a `load`, then says what was
 * rebuilt ("Shared cluster at 00:04:12 — 7 commands replayed") or why not, over the default cluster.
 */
export function SharedNotice({ share }: { share: DecodeResult }) {
  const { send } = useActions();
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'loaded'; t: number; n: number } | { kind: 'failed'; message: string }>(() =>
    share.ok ? { kind: 'loading' } : { kind: 'failed', message: share.error },
  );
  const [hidden, setHidden] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    // Once per page, also under StrictMode's doubled effects (a second load would only repeat the first).
    if (!share.ok || started.current) return;
    started.current = true;
    const p = share.payload;
    send({ type: 'load', scenario: p.scenario, seed: p.seed, log: p.log, t: p.t }).then(
      () => setState({ kind: 'loaded', t: p.t, n: p.log.length }),
      (e: Error) => setState({ kind: 'failed', message: `The shared commands could not be replayed: ${e.message}.` }),
    );
  }, [share, send]);

  if (hidden) return null;
  if (state.kind === 'loading') {
    return (
      <div className="share-notice" role="status" data-testid="share-notice">
        Opening the shared cluster…
      </div>
    );
  }
  const failed = state.kind === 'failed';
  return (
    <div className={`share-notice ${failed ? 'error' : ''}`} role={failed ? 'alert' : 'status'} data-testid="share-notice">
      <svg className="share-notice-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path fill="currentColor" d={failed ? 'M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z' : 'M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM8 18a4 4 0 0 1-2.8-6.8l2-2 1.4 1.4-2 2A2 2 0 0 0 9.4 15.4l2-2 1.4 1.4-2 2A4 4 0 0 1 8 18zm8.8-5.2-1.4-1.4 2-2A2 2 0 1 0 14.6 6.6l-2 2-1.4-1.4 2-2a4 4 0 0 1 5.6 5.6z'} />
      </svg>
      {failed ? (
        <span>
          <strong>This share link could not be opened.</strong> {state.message} Showing a fresh cluster instead.
        </span>
      ) : (
        <span>
          <strong>
            Shared cluster at {hhmmss(state.t)} — {state.n} command{state.n === 1 ? '' : 's'} replayed.
          </strong>{' '}
          Paused: press Play to continue.
        </span>
      )}
      <button type="button" className="share-notice-close" aria-label="Dismiss notice" onClick={() => setHidden(true)}>
        ×
      </button>
    </div>
  );
}
