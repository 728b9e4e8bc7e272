/**
 * API shapes. We use the community `kubernetes-types` definitions for the objects themselves, so a
 * reader sees the real field names; this file only names the kinds the simulation serves.
 */
import type { Pod, Node, Namespace, Event, ConfigMap, Secret, Service } from 'kubernetes-types/core/v1';
import type { ReplicaSet, Deployment, DaemonSet } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { ObjectMeta, OwnerReference, LabelSelector } from 'kubernetes-types/meta/v1';

export type {
  Pod, Node, Namespace, Event, ConfigMap, Secret, Service, ReplicaSet, Deployment, DaemonSet, Job, Lease,
  EndpointSlice, ObjectMeta, OwnerReference, LabelSelector, PodDisruptionBudget,
};
export type {
  Container, ContainerStatus, PodSpec, PodStatus, PodCondition, NodeCondition, Taint, Toleration,
  PodTemplateSpec, Volume, Probe, ResourceRequirements, EnvVar, ContainerPort, NodeSpec, NodeStatus,
} from 'kubernetes-types/core/v1';

/** Every kind the simulated API server stores, with its apiVersion and plural resource name. */
export const KINDS = {
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false, short: ['ns'] },
  Node: { apiVersion: 'v1', plural: 'nodes', namespaced: false, short: ['no'] },
  Pod: { apiVersion: 'v1', plural: 'pods', namespaced: true, short: ['po'] },
  Event: { apiVersion: 'v1', plural: 'events', namespaced: true, short: ['ev'] },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', namespaced: true, short: ['cm'] },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true, short: [] },
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true, short: ['svc'] },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true, short: ['rs'] },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true, short: ['deploy'] },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true, short: ['ds'] },
  Job: { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, short: [] },
  Lease: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true, short: [] },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true, short: [] },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true, short: ['pdb'] },
} as const;

export type Kind = keyof typeof KINDS;

export interface KindMap {
  Namespace: Namespace;
  Node: Node;
  Pod: Pod;
  Event: Event;
  ConfigMap: ConfigMap;
  Secret: Secret;
  Service: Service;
  ReplicaSet: ReplicaSet;
  Deployment: Deployment;
  DaemonSet: DaemonSet;
  Job: Job;
  Lease: Lease;
  EndpointSlice: EndpointSlice;
  PodDisruptionBudget: PodDisruptionBudget;
}

/** Any stored object: it always has kind, apiVersion and metadata with name (and namespace if namespaced). */
export type KObject = KindMap[Kind];

export function isKind(kind: string): kind is Kind {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}

/** Find a kind by what a kubectl user types: `pods`, `pod`, `po`, `Pod`, `deployments.apps`. */
export function kindFromResource(resource: string): Kind | undefined {
  const r = resource.toLowerCase().replace(/\.(apps|batch|v1|coordination\.k8s\.io|discovery\.k8s\.io|policy)$/, '');
  for (const [kind, info] of Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][]) {
    if (r === kind.toLowerCase() || r === info.plural || (info.short as readonly string[]).includes(r)) return kind;
  }
  return undefined;
}
