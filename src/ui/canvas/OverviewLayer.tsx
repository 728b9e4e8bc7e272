import { memo, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { ViewportPortal, useStore as useFlowStore } from '@xyflow/react';
import type { Pod } from '../../engine/api/types';
import { usePlayground, usePlaygroundStore } from '../context';
import { NODE_STATUS_ICON, TONE_ICON, isPodReady, podKey, nodeCountdowns, nodeStatus, nodeStatusFull, podStatus, podTone } from '../model';
import { formatCountdown } from '../store';
import { NODE_HEADER, queueTitle } from './layout';
import type { ZoomLevel } from './lod';
import { sceneBounds, type OverviewCard, type OverviewPod, type OverviewScene } from './overview';

/**
 * Zoomed out (level of detail), every node card, the scheduling queue and their pods drawn as one
 * SVG in React Flow's viewport: a card is a rectangle with its status, a pod a circle coloured by its
 * status. Why one SVG rather than a flow node per card with a div per pod: in a node-kill storm the
 * slowest frames were all rendering (style, layout, layer building, paint for a thousand positioned
 * boxes), and SVG shapes in one layer repaint just what changed. A card re-renders when its node or
 * its pods change, a circle when its own pod object does.
 *
 * Test hooks and accessibility are those of the detail cards: a card's group carries
 * `data-testid="node-NAME"` and `data-status`; a pod's circle `data-testid="pod-NAME"`,
 * `data-phase`, `data-node`. Each is a named button; the overview is one tab stop (arrow keys move
 * between cards and pods, PageUp/PageDown between cards, Enter or Space inspects), and a click
 * inspects the pod or node.
 */
/**
 * One screen pixel in flow units, to the nearest power of two: stroke widths multiply it (CSS
 * `--ov-px`), so outlines stay visible far out. A power of two changes rarely while zooming, and
 * each change restyles every shape once.
 */
export function selectScreenPixel(s: { transform: readonly [number, number, number] }): number {
  return 2 ** Math.max(0, Math.round(Math.log2(1 / s.transform[2])));
}

export function OverviewLayer({ scene, level }: { scene: OverviewScene; level: ZoomLevel }) {
  const store = usePlaygroundStore();
  const px = useFlowStore(selectScreenPixel);
  const root = useRef<SVGSVGElement>(null);
  const b = sceneBounds(scene);

  // Exactly one item is in the tab order: the last one focused or inspected while it is drawn, else
  // the first. (One query per render: the overview re-renders whenever a pod comes or goes.)
  useLayoutEffect(() => {
    const svg = root.current;
    if (!svg) return;
    if (svg.querySelector('[data-item][tabindex="0"]')) return;
    svg.querySelector('[data-item]')?.setAttribute('tabindex', '0');
  });

  const inspect = (el: SVGElement) => {
    const kind = el.dataset.item;
    moveStop(el);
    if (kind === 'Pod' || kind === 'Node') store.getState().select({ kind, key: el.dataset.key ?? '' });
  };
  const moveStop = (el: SVGElement) => {
    root.current?.querySelectorAll<SVGElement>('[data-item][tabindex="0"]').forEach((o) => o !== el && o.setAttribute('tabindex', '-1'));
    el.setAttribute('tabindex', '0');
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    const el = (e.target as Element).closest<SVGElement>('[data-item]');
    if (!el) return;
    // A pod's circle sits on its node's card: inspect the pod only.
    e.stopPropagation();
    inspect(el);
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const current = (e.target as Element).closest<SVGElement>('[data-item]');
    const svg = root.current;
    if (!svg || !current) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      inspect(current);
      return;
    }
    const items = [...svg.querySelectorAll<SVGElement>('[data-item]')];
    const i = items.indexOf(current);
    let j = -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') j = Math.min(items.length - 1, i + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') j = Math.max(0, i - 1);
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = items.length - 1;
    else if (e.key === 'PageDown' || e.key === 'PageUp') {
      const step = e.key === 'PageDown' ? 1 : -1;
      for (let k = i + step; k >= 0 && k < items.length; k += step) {
        if (items[k].dataset.item === 'Node') {
          j = k;
          break;
        }
      }
    }
    if (j < 0 || j === i) return;
    e.preventDefault();
    moveStop(items[j]);
    items[j].focus();
  };

  return (
    <ViewportPortal>
      <svg
        ref={root}
        className={`overview level-${level}`}
        style={{ left: b.x, top: b.y, ['--ov-px' as string]: px }}
        width={b.w}
        height={b.h}
        viewBox={`${b.x} ${b.y} ${b.w} ${b.h}`}
        role="group"
        aria-label="Nodes and their pods (arrow keys move, Enter inspects)"
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        {scene.cards.map((card) => (card.name ? <NodeShape key={card.id} card={card} text={level !== 'far'} /> : <QueueShape key={card.id} card={card} text={level !== 'far'} />))}
      </svg>
    </ViewportPortal>
  );
}

const NO_PODS: Pod[] = [];

/** A node's card: the status in its outline and fill, its name, status, countdowns and pod count in text (when readable), and its pods. */
const NodeShape = memo(function NodeShape({ card, text }: { card: OverviewCard; text: boolean }) {
  // Separate selectors (an identity check each): a hundred cards compare them on every store update,
  // and zustand's shallow compare of a tuple builds two Maps per call.
  const node = usePlayground((s) => s.nodes.get(card.name));
  const world = usePlayground((s) => s.world.get(card.name));
  const pods = usePlayground((s) => s.nodePods.get(card.name)) ?? NO_PODS;
  const selected = usePlayground((s) => s.selected);
  if (!node) return null;
  const status = nodeStatus(node);
  const full = nodeStatusFull(node);
  const off = world?.power === 'Off';
  const cut = world?.partitioned ?? false;
  const terminating = pods.reduce((n, p) => (p.metadata?.deletionTimestamp ? n + 1 : n), 0);
  const isSelected = selected?.kind === 'Node' && selected.key === card.name;
  const selectedPod = selected?.kind === 'Pod' ? selected.key : undefined;
  const left = 16;
  const max = card.w - 32;
  return (
    // Drawn relative to the card's corner: a card that moves (a row above it grew) changes one attribute.
    <g data-testid={`node-${card.name}`} data-status={status} className={`ov-node status-${status}`} transform={`translate(${card.x} ${card.y})`}>
      <rect
        className={`ov-card ${isSelected ? 'selected' : ''}`}
        width={card.w}
        height={card.h}
        rx={14}
        data-item="Node"
        data-key={card.name}
        tabIndex={-1}
        role="button"
        aria-label={`Node ${card.name}, ${full}, ${pods.length} pods`}
        aria-pressed={isSelected}
      >
        <title>{`${card.name}: ${full}`}</title>
      </rect>
      <rect className="ov-head" width={card.w} height={NODE_HEADER - 12} rx={14} aria-hidden="true" />
      {text && (
        <g aria-hidden="true">
          <text className="ov-name" x={left} y={50} textLength={card.name.length > 16 ? max : undefined} lengthAdjust="spacingAndGlyphs">
            {card.name}
          </text>
          <text className="ov-status" x={left} y={92}>
            {`${NODE_STATUS_ICON[status]} ${full}`}
          </text>
          <NodeNotes name={card.name} x={left} y={128} off={off} cut={cut} />
          <text className="ov-note" x={left} y={162}>
            {`${pods.length} pods${terminating ? ` · ${terminating} terminating` : ''}`}
          </text>
        </g>
      )}
      <PodCircles card={card} pods={pods} selectedKey={selectedPod} icons={text} />
    </g>
  );
});

/** What the node is waiting for ("◷ NotReady in 12s", "◷ eviction in 4:48") and its world state; ticks with the clock. */
function NodeNotes({ name, x, y, off, cut }: { name: string; x: number; y: number; off: boolean; cut: boolean }) {
  const line = usePlayground((s) => {
    const node = s.nodes.get(name);
    const notes: string[] = [];
    if (off) notes.push('■ powered off');
    if (cut) notes.push('✂ network cut');
    if (node) {
      const now = Math.floor(s.now / 1000) * 1000;
      for (const c of nodeCountdowns(node, s.world.get(name))) if (c.at >= now) notes.push(`◷ ${c.label} ${formatCountdown(c.at - now)}`);
    }
    return notes.join('  ');
  });
  return line ? (
    <text className="ov-note" x={x} y={y}>
      {line}
    </text>
  ) : null;
}

/** The scheduling queue: a dashed amber card with its count, and its pods. */
const QueueShape = memo(function QueueShape({ card, text }: { card: OverviewCard; text: boolean }) {
  const pods = usePlayground((s) => s.nodePods.get('')) ?? NO_PODS;
  const selected = usePlayground((s) => s.selected);
  return (
    <g className="ov-queue" role="group" aria-label={`Scheduling queue, ${pods.length} pods not yet on a node`} transform={`translate(${card.x} ${card.y})`}>
      <rect className="ov-queue-card" width={card.w} height={card.h} rx={14} />
      {text && (
        <text className="ov-queue-text" x={14} y={32} aria-hidden="true">
          {queueTitle(pods.length)}
        </text>
      )}
      <PodCircles card={card} pods={pods} selectedKey={selected?.kind === 'Pod' ? selected.key : undefined} icons={text} />
    </g>
  );
});

/** A node's pods by key, built once per list (the store gives the list a new identity when a pod on it changes). */
const podIndex = new WeakMap<readonly Pod[], Map<string, Pod>>();
function indexPods(pods: readonly Pod[]): Map<string, Pod> {
  let m = podIndex.get(pods);
  if (!m) podIndex.set(pods, (m = new Map(pods.map((p) => [podKey(p), p]))));
  return m;
}

function PodCircles({ card, pods, selectedKey, icons }: { card: OverviewCard; pods: readonly Pod[]; selectedKey: string | undefined; icons: boolean }) {
  const byKey = indexPods(pods);
  return (
    <>
      {card.pods.map((d) => {
        // The layout and the store's lists can be one render apart: a pod gone since is not drawn.
        const pod = byKey.get(d.key);
        return pod ? <PodCircle key={d.key} dot={d} pod={pod} selected={d.key === selectedKey} icon={icons} /> : null;
      })}
    </>
  );
}

/** A pod as a circle coloured by its tone (with the tone's icon when large enough to read). */
const PodCircle = memo(function PodCircle({ dot, pod, selected, icon }: { dot: OverviewPod; pod: Pod; selected: boolean; icon: boolean }) {
  const name = pod.metadata?.name ?? '';
  const status = podStatus(pod);
  const tone = podTone(pod);
  return (
    <>
      <circle
        className={`ov-pod tone-${tone} ${selected ? 'selected' : ''}`}
        cx={dot.cx}
        cy={dot.cy}
        r={dot.r}
        data-item="Pod"
        data-key={dot.key}
        data-testid={`pod-${name}`}
        data-phase={pod.status?.phase ?? 'Pending'}
        data-status={status}
        data-node={pod.spec?.nodeName ?? ''}
        data-ready={String(isPodReady(pod))}
        tabIndex={-1}
        role="button"
        aria-label={`Pod ${name}, ${status}`}
        aria-pressed={selected}
      >
        <title>{`${name}: ${status}`}</title>
      </circle>
      {icon && (
        <text className={`ov-icon tone-${tone}`} x={dot.cx} y={dot.cy} fontSize={dot.r} aria-hidden="true">
          {TONE_ICON[tone]}
        </text>
      )}
    </>
  );
});
