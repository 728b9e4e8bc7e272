import { memo, useMemo } from 'react';
import { Handle, Position, type NodeProps, type Node as FlowNode } from '@xyflow/react';
import { formatBytes, formatMilliCpu } from '../../engine/api/quantity';
import { useActions, usePlayground } from '../context';
import { NODE_STATUS_ICON, nodeCountdowns, nodeRolesText, nodeStatus, nodeStatusFull, nodeZone } from '../model';
import { Countdown } from './Countdown';

/** Zoomed out (level of detail) the card is hidden and the overview layer draws the node instead. */
export type NodeCardData = { name: string };
export type NodeCardNode = FlowNode<NodeCardData, 'k8sNode'>;


function Bar({ label, used, total, text }: { label: string; used: number; total: number; text: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="bar" title={`${label} requested: ${text}`}>
      <span className="bar-label">{label}</span>
      <span className="bar-track" role="meter" aria-label={`${label} requested`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={text}>
        <span className="bar-fill" style={{ width: `${pct}%` }} />
      </span>
      <span className="bar-text">{text}</span>
    </div>
  );
}

/** A node as a large card: status, roles, zone, requested resources, the world's state, actions. */
export const NodeCard = memo(function NodeCard({ data }: NodeProps<NodeCardNode>) {
  const { name } = data;
  // Separate selectors (an identity check each; zustand's shallow compare of a tuple builds two Maps per call).
  const node = usePlayground((s) => s.nodes.get(name));
  const world = usePlayground((s) => s.world.get(name));
  const usage = usePlayground((s) => s.usage.get(name));
  const { exec } = useActions();
  const countdowns = useMemo(() => (node ? nodeCountdowns(node, world) : []), [node, world]);
  if (!node) return null;
  const status = nodeStatus(node);
  const full = nodeStatusFull(node);
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const off = world?.power === 'Off';
  const cut = world?.partitioned ?? false;
  const cordoned = node.spec?.unschedulable ?? false;
  const zone = nodeZone(node);
  const run = (line: string) => void exec(line);
  return (
    // A plain element (CSS entrance and grey-out, see styles.css): a hundred cards re-render during a
    // storm, and a motion component per card cost more than the cards themselves.
    <div
      className={`k8s-node status-${status} ${off ? 'powered-off' : ''} ${cut ? 'partitioned' : ''}`}
      data-testid={`node-${name}`}
      data-status={status}
      aria-label={`Node ${name}, ${full}`}
      role="group"
    >
      <Handle type="target" position={Position.Left} className="hidden-handle" isConnectable={false} />
      <header className="node-head">
        <div className="node-title">
                    <h3>{name}</h3>
          <span className={`pill node-status status-${status}`}>
            <span aria-hidden="true">{NODE_STATUS_ICON[status]}</span> {full}
          </span>
          <span className="countdowns">
            {countdowns.map((c) => (
              <Countdown key={c.label} label={c.label} at={c.at} />
            ))}
          </span>
        </div>
        <div className="node-meta">
          <span>{nodeRolesText(node)}</span>
          {zone && <span>zone {zone}</span>}
          <span>{node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address}</span>
          {off && <span className="pill world">■ powered off</span>}
          {cut && <span className="pill world">✂ network cut</span>}
        </div>
        <div className="node-reason" title={ready?.message}>
          {ready && ready.status !== 'True' ? `Ready=${ready.status}: ${ready.reason ?? ''} — ${ready.message ?? ''}` : ''}
        </div>
        {usage && (
          <div className="bars">
            <Bar label="CPU" used={usage.cpuRequested} total={usage.cpuAllocatable} text={`${formatMilliCpu(usage.cpuRequested)} / ${formatMilliCpu(usage.cpuAllocatable)}`} />
            <Bar label="Mem" used={usage.memRequested} total={usage.memAllocatable} text={`${formatBytes(usage.memRequested)} / ${formatBytes(usage.memAllocatable)}`} />
            <Bar label="Pods" used={usage.pods} total={usage.podsAllocatable} text={`${usage.pods} / ${usage.podsAllocatable}`} />
          </div>
        )}
        {/* Buttons act on the node; they must not also select it (which opens the inspector). */}
        <div className="node-actions nodrag nopan" onClick={(e) => e.stopPropagation()}>
            {off ? (
              <button type="button" aria-label={`Start node ${name}`} onClick={() => run(`sim start-node ${name}`)}>
                Start
              </button>
            ) : (
              <button type="button" className="danger" aria-label={`Kill node ${name}`} onClick={() => run(`sim kill-node ${name}`)}>
                Kill
              </button>
            )}
            {cut ? (
              <button type="button" aria-label={`Reconnect node ${name}`} onClick={() => run(`sim heal-node ${name}`)}>
                Reconnect
              </button>
            ) : (
              <button type="button" aria-label={`Cut network of node ${name}`} onClick={() => run(`sim partition-node ${name}`)}>
                Cut network
              </button>
            )}
            {cordoned ? (
              <button type="button" aria-label={`Uncordon node ${name}`} onClick={() => run(`kubectl uncordon ${name}`)}>
                Uncordon
              </button>
            ) : (
              <button type="button" aria-label={`Cordon node ${name}`} onClick={() => run(`kubectl cordon ${name}`)}>
                Cordon
              </button>
            )}
            <button type="button" aria-label={`Drain node ${name}`} onClick={() => run(`kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`)}>
              Drain
            </button>
        </div>
      </header>
      <Handle type="source" position={Position.Right} className="hidden-handle" isConnectable={false} />
    </div>
  );
  // Only `data` is read: a card that moves (a row above grew) need not re-render.
}, sameData);

/** Memo comparison of flow-node props for cards that read only `data` (not position or size). */
export function sameData(a: { id: string; data: unknown }, b: { id: string; data: unknown }): boolean {
  return a.id === b.id && a.data === b.data;
}
