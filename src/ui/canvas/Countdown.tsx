import { memo } from 'react';
import { usePlayground } from '../context';
import { formatCountdown } from '../store';

/**
 * A live countdown (`eviction in 4:48`). Only this small component subscribes to the clock, so a
 * ticking countdown never re-renders the card around it.
 */
export const Countdown = memo(function Countdown({ label, at, className }: { label: string; at: number; className?: string }) {
  const now = usePlayground((s) => Math.floor(s.now / 1000));
  const left = at - now * 1000;
  if (left < 0) return null;
  return (
    <span className={`countdown ${className ?? ''}`}>
      <span aria-hidden="true">◷ </span>
      {label} <strong>{formatCountdown(left)}</strong>
    </span>
  );
});
