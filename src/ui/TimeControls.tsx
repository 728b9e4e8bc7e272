import { useEffect, useState } from 'react';
import { SPEEDS } from '../worker/protocol';
import { useActions, usePlayground } from './context';
import { formatClock } from './store';

function Icon({ d }: { d: string }) {
  return (
    <svg className="icon-svg" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

/** True when a key press belongs to a text field (keys there are text, not shortcuts). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest?.('.cm-editor');
}

/**
 * PhET-style time controls: play/pause, step, speed (1× / 10× / 60×), skip to the next change, the
 * virtual clock and a `Timeline` slider over this branch's history (moving back replays the command
 * log deterministically). Keys: Space play/pause, `.` step, J/L slower/faster.
 */
export function TimeControls() {
  const playing = usePlayground((s) => s.playing);
  const speed = usePlayground((s) => s.speed);
  const now = usePlayground((s) => Math.floor(s.now / 1000) * 1000);
  const end = usePlayground((s) => Math.floor(s.end / 1000) * 1000);
  const { send } = useActions();
  const [scrub, setScrub] = useState<number | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const i = SPEEDS.indexOf(speed as (typeof SPEEDS)[number]);
      if (e.key === ' ') {
        if ((e.target as HTMLElement)?.tagName === 'BUTTON') return; // a focused button handles Space itself
        e.preventDefault();
        void send({ type: playing ? 'pause' : 'play' });
      } else if (e.key === '.') void send({ type: 'step' });
      else if (e.key === 'j' || e.key === 'J') void send({ type: 'setSpeed', speed: SPEEDS[Math.max(0, i - 1)] });
      else if (e.key === 'l' || e.key === 'L') void send({ type: 'setSpeed', speed: SPEEDS[Math.min(SPEEDS.length - 1, i + 1)] });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [playing, speed, send]);

  const commit = () => {
    if (scrub === null) return;
    const t = scrub;
    setScrub(null);
    if (t !== now) void send({ type: 'seek', t });
  };
  const shown = scrub ?? now;
  return (
    <div className="time-controls" role="toolbar" aria-label="Time controls">
      <button type="button" className="primary" onClick={() => void send({ type: playing ? 'pause' : 'play' })} aria-keyshortcuts="Space">
        {playing ? (
          <>
            <Icon d="M6 4h4v16H6zM14 4h4v16h-4z" />
            Pause
          </>
        ) : (
          <>
            <Icon d="M7 4l13 8-13 8z" />
            Play
          </>
        )}
      </button>
      <button type="button" onClick={() => void send({ type: 'step' })} aria-keyshortcuts="." title="Advance 1 second (.)">
        <Icon d="M5 4l10 8-10 8zM16 4h3v16h-3z" />
        Step
      </button>
      <label className="speed">
        <span>Speed</span>
        <select aria-label="Speed" value={String(speed)} onChange={(e) => void send({ type: 'setSpeed', speed: Number(e.target.value) })} title="J slower · L faster">
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void send({ type: 'skipToNextChange' })} title="Jump to the next moment something on screen changes (at most 10 min)">
        Skip to next change
      </button>
      <span className="clock" aria-label={`Simulated time ${formatClock(now)}`}>
        t = {formatClock(shown)}
      </span>
      <input
        className="timeline"
        type="range"
        aria-label="Timeline"
        aria-valuetext={`t = ${formatClock(shown)} of ${formatClock(Math.max(end, now))}`}
        min={0}
        max={Math.max(end, now, 1000)}
        step={1000}
        value={shown}
        onChange={(e) => setScrub(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
    </div>
  );
}
