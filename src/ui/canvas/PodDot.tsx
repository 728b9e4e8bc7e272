import { memo, useCallback, useMemo, type MouseEvent } from 'react';
import type { Pod } from '../../engine/api/types';
import { usePlayground, usePlaygroundStore } from '../context';
import { TONE_ICON, isPodReady, podStatus, podTone } from '../model';
import { dotCircle, type Dot } from './lod';

const keyOf = (p: Pod) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`;

/**
 * Zoomed out, the pods of one card (a node or the scheduling queue) as coloured dots where their
 * cards would be. The card passes the pod objects it already selected, so a dot re-renders only
 * when its own pod object changes; no per-dot store subscription, no animation.
 */
export const PodDots = memo(function PodDots({ dots, pods }: { dots: readonly Dot[]; pods: readonly Pod[] }) {
  const store = usePlaygroundStore();
  const selectedKey = usePlayground((s) => (s.selected?.kind === 'Pod' ? s.selected.key : undefined));
  const byKey = useMemo(() => new Map(pods.map((p) => [keyOf(p), p])), [pods]);
  const select = useCallback((key: string) => store.getState().select({ kind: 'Pod', key }), [store]);
  return (
    <div className="pod-dots">
      {dots.map((d) => {
        // The layout and the store's lists can be one render apart: a pod gone since is not drawn.
        const pod = byKey.get(d.key);
        if (!pod) return null;
        const { left, top, size } = dotCircle(d);
        return <PodDot key={d.key} podKey={d.key} left={left} top={top} size={size} pod={pod} selected={d.key === selectedKey} onSelect={select} />;
      })}
    </div>
  );
});

/** One pod as a dot (props are primitives, so a relayout that does not move it does not re-render it): tone colour and icon, with the same test hooks as the detail card. */
export const PodDot = memo(function PodDot({ podKey, left, top, size, pod, selected, onSelect }: { podKey: string; left: number; top: number; size: number; pod: Pod; selected: boolean; onSelect: (key: string) => void }) {
  const name = pod.metadata?.name ?? '';
  const status = podStatus(pod);
  const tone = podTone(pod);
  const onClick = (e: MouseEvent) => {
    // Selecting the pod, not the node card under it.
    e.stopPropagation();
    onSelect(podKey);
  };
  return (
    <div
      className={`pod-dot tone-${tone} ${selected ? 'selected' : ''}`}
      style={{ left, top, width: size, height: size }}
      data-testid={`pod-${name}`}
      data-phase={pod.status?.phase ?? 'Pending'}
      data-status={status}
      data-node={pod.spec?.nodeName ?? ''}
      data-ready={String(isPodReady(pod))}
      title={`${name}: ${status}`}
      aria-label={`Pod ${name}, ${status}`}
      role="img"
      onClick={onClick}
    >
      <span aria-hidden="true">{TONE_ICON[tone]}</span>
    </div>
  );
});
