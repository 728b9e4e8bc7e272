import { memo } from 'react';
import { Handle, Position, type NodeProps, type Node as FlowNode } from '@xyflow/react';
import { useActions, usePlayground } from '../context';
import { queueTitle } from './layout';

export type KeyData = { objKey: string };
export type ServiceCardNode = FlowNode<KeyData, 'service'>;
export type OwnerCardNode = FlowNode<KeyData & { kind: 'Deployment' | 'ReplicaSet' }, 'owner'>;
/** Zoomed out (level of detail) the card is hidden and the overview layer draws the queue instead. */
export type QueueCardNode = FlowNode<Record<string, never>, 'queue'>;

/** A Service: type, cluster IP, ports; lines go to its ready endpoints. */
export const ServiceCard = memo(function ServiceCard({ data }: NodeProps<ServiceCardNode>) {
  const svc = usePlayground((s) => s.services.get(data.objKey));
  if (!svc) return null;
  const ports = (svc.spec?.ports ?? []).map((p) => `${p.port}${p.targetPort !== undefined ? `→${p.targetPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
  return (
    <div className="side-card service" data-testid={`service-${svc.metadata?.name}`} role="group" aria-label={`Service ${svc.metadata?.name}`}>
      <Handle type="source" position={Position.Left} className="hidden-handle" isConnectable={false} />
      <div className="side-kind">Service · {svc.spec?.type ?? 'ClusterIP'}</div>
      <div className="side-name">{svc.metadata?.name}</div>
      <div className="side-meta">
        {svc.spec?.clusterIP ?? ''} {ports}
      </div>
    </div>
  );
});

/** A Deployment (with scale − / +) or a ReplicaSet, drawn when owners are shown. */
export const OwnerCard = memo(function OwnerCard({ data }: NodeProps<OwnerCardNode>) {
  const obj = usePlayground((s) => (data.kind === 'Deployment' ? s.deployments.get(data.objKey) : s.replicasets.get(data.objKey)));
  const { exec } = useActions();
  if (!obj) return null;
  const name = obj.metadata?.name ?? '';
  const want = obj.spec?.replicas ?? 1;
  const ready = obj.status?.readyReplicas ?? 0;
  const scale = (n: number) => void exec(`kubectl scale deployment ${name} -n ${obj.metadata?.namespace ?? 'default'} --replicas=${Math.max(0, n)}`);
  return (
    <div className={`side-card owner kind-${data.kind}`} role="group" aria-label={`${data.kind} ${name}`}>
      <Handle type="target" position={Position.Left} className="hidden-handle" isConnectable={false} />
      <div className="side-kind">{data.kind}</div>
      <div className="side-name">{name}</div>
      <div className="side-meta">
        {ready}/{want} ready
        {data.kind === 'Deployment' && (
          <span className="scale nodrag">
            <button type="button" aria-label={`Scale deployment ${name} down`} onClick={() => scale(want - 1)}>
              −
            </button>
            <button type="button" aria-label={`Scale deployment ${name} up`} onClick={() => scale(want + 1)}>
              +
            </button>
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Right} className="hidden-handle" isConnectable={false} />
    </div>
  );
});

/** Pods the scheduler has not placed yet (zoomed in, they are pod cards inside this one). */
export const QueueCard = memo(function QueueCard() {
  const count = usePlayground((s) => s.podsByNode.get('')?.length ?? 0);
  return (
    <div className="queue-card" role="group" aria-label={`${count} pods waiting to be scheduled`}>
      <div className="queue-head">
        {queueTitle(count)}
      </div>
    </div>
  );
});
