import { memo, useMemo } from 'react';
import { Handle, Position, useStore as useFlowStore, type NodeProps, type Node as FlowNode } from '@xyflow/react';
import { useActions, usePlayground } from '../context';
import { CONTAINER_ICON, TONE_ICON, drawnContainers, drawnVolumes, isPodReady, podCountdowns, podStatus, podTone } from '../model';
import { Countdown } from './Countdown';
import { sameData } from './NodeCard';
import { selectLod } from './lod';

export type PodCardData = { podKey: string };
export type PodCardNode = FlowNode<PodCardData, 'pod'>;

const ROW = 30;
const CONTAINER_W = 140;
const VOLUME_X = 150;

/**
 * A pod: status (colour + icon + kubectl's STATUS text), its shared network (one IP, a `localhost`
 * lane joining the containers' ports), containers (state, ports, restarts) and volumes with lines to
 * the containers that mount them. Zoomed out, a coloured dot.
 */
export const PodCard = memo(function PodCard({ data }: NodeProps<PodCardNode>) {
  const { podKey } = data;
  const pod = usePlayground((s) => s.pods.get(podKey));
  const view = usePlayground((s) => s.runtime.get(podKey));
  const nodeName = pod?.spec?.nodeName;
  const node = usePlayground((s) => (nodeName ? s.nodes.get(nodeName) : undefined));
  const world = usePlayground((s) => (nodeName ? s.world.get(nodeName) : undefined));
  const selected = usePlayground((s) => s.selected?.kind === 'Pod' && s.selected.key === podKey);
  // Zoomed out, pods inside cards are drawn by the overview layer; this is a pod with no card to sit in.
  const dot = useFlowStore(selectLod);
  const { exec } = useActions();
  const containers = useMemo(() => (pod ? drawnContainers(pod, view) : []), [pod, view]);
  const volumes = useMemo(() => (pod ? drawnVolumes(pod, view) : []), [pod, view]);
  const countdowns = useMemo(() => (pod ? podCountdowns(pod, node, world, view) : []), [pod, node, world, view]);
  if (!pod) return null;
  const name = pod.metadata!.name!;
  const status = podStatus(pod);
  const tone = podTone(pod);
  const phase = pod.status?.phase ?? 'Pending';
  const ready = isPodReady(pod);
  const readyCount = containers.filter((c) => c.kind === 'main' && c.ready && c.state === 'running').length;
  const mainCount = containers.filter((c) => c.kind === 'main').length;
  const ip = view?.podIP ?? pod.status?.podIP;
  const common = {
    'data-testid': `pod-${name}`,
    'data-phase': phase,
    'data-status': status,
    'data-node': nodeName ?? '',
    'data-ready': String(ready),
  };
  if (dot) {
    return (
      <div className={`pod-dot tone-${tone}`} {...common} title={`${name}: ${status}`} aria-label={`Pod ${name}, ${status}`} role="img">
        <Handle type="target" position={Position.Left} className="hidden-handle" isConnectable={false} />
        <span aria-hidden="true">{TONE_ICON[tone]}</span>
        <Handle type="source" position={Position.Right} className="hidden-handle" isConnectable={false} />
      </div>
    );
  }
  const rows = Math.max(containers.length, volumes.length, 1);
  return (
    // Plain elements with CSS animations (entrance, and a pulse re-keyed on each status change; none
    // under prefers-reduced-motion): a storm mounts and unmounts cards by the hundred as they scroll
    // in and out of view, and a motion component per card made that the slowest frame.
    <div
      className={`pod tone-${tone} ${selected ? 'selected' : ''}`}
      {...common}
      role="group"
      aria-label={`Pod ${name}, ${status}, ${readyCount}/${mainCount} ready${nodeName ? ` on ${nodeName}` : ', not scheduled'}`}
    >
      <Handle type="target" position={Position.Left} className="hidden-handle" isConnectable={false} />
      <span key={`${tone}-${ready}`} className="pulse" aria-hidden="true" />
      <div className="pod-head">
        <span className="pod-name" title={name}>
          {name}
        </span>
        <button type="button" className="icon nodrag" aria-label={`Delete pod ${name}`} title="Delete pod" onClick={(e) => { e.stopPropagation(); void exec(`kubectl delete pod ${name} -n ${pod.metadata?.namespace ?? 'default'} --wait=false`); }}>
          ✕
        </button>
      </div>
      <div className="pod-status">
        <span className={`pill tone-${tone}`}>
          <span aria-hidden="true">{TONE_ICON[tone]}</span> {status}
        </span>
        <span className="pod-ready" title="ready containers">
          {readyCount}/{mainCount}
        </span>
      </div>
      <div className="pod-net" title="One network namespace: every container shares this IP and reaches the others on localhost">
        <span aria-hidden="true">IP</span> {ip ?? 'no IP yet'} <span className="lane-label">· localhost</span>
      </div>
      <div className="pod-body" style={{ height: rows * ROW }}>
        <svg className="pod-lines" width="100%" height={rows * ROW} aria-hidden="true">
          {containers.length > 1 && <line className="lane" x1={6} x2={6} y1={ROW / 2} y2={(containers.length - 1) * ROW + ROW / 2} />}
          {containers.map((c, i) =>
            c.mounts.map((m) => {
              const j = volumes.findIndex((v) => v.name === m);
              if (j < 0) return null;
              const y1 = i * ROW + ROW / 2;
              const y2 = j * ROW + ROW / 2;
              return <path key={`${c.name}-${m}`} className="mount" d={`M ${CONTAINER_W} ${y1} C ${CONTAINER_W + 8} ${y1}, ${VOLUME_X - 8} ${y2}, ${VOLUME_X} ${y2}`} />;
            }),
          )}
        </svg>
        {containers.map((c, i) => (
          <div
            key={c.name}
            className={`container c-${c.state} ${c.ready ? 'ready' : ''} kind-${c.kind}`}
            data-testid={`container-${name}-${c.name}`}
            data-state={c.state}
            style={{ top: i * ROW, width: CONTAINER_W - 14 }}
            title={`${c.kind === 'main' ? 'container' : c.kind} ${c.name}: ${c.state}${c.reason ? ` (${c.reason})` : ''}, ${c.restarts} restarts`}
          >
            <span className="lane-dot" aria-hidden="true" />
            <span aria-hidden="true">{CONTAINER_ICON[c.state]}</span>
            <span className="c-name">{c.name}</span>
            {c.ports.length > 0 && <span className="c-port">:{c.ports.join(',:')}</span>}
            {c.restarts > 0 && <span className="c-restarts" title="restarts">↻{c.restarts}</span>}
          </div>
        ))}
        {volumes.map((v, j) => (
          <div key={v.name} className="volume" data-testid={`volume-${name}-${v.name}`} style={{ top: j * ROW, left: VOLUME_X }} title={`volume ${v.name} (${v.type})`}>
            {v.name}
          </div>
        ))}
      </div>
      <div className="countdowns">
        {countdowns.slice(0, 2).map((c) => (
          <Countdown key={c.label} label={c.label} at={c.at} />
        ))}
      </div>
      <Handle type="source" position={Position.Right} className="hidden-handle" isConnectable={false} />
    </div>
  );
  // Only `data` is read: a card that moves (its node grew above it) need not re-render.
}, sameData);
