/**
 * The real defaults and timings of Kubernetes v1.34 the simulation runs with (see shared/K8S.md).
 * One place, named as the flags and fields they model, so a reader can check them against the source.
 */
export const KUBERNETES_VERSION = 'v1.34.0';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export const defaults = {
  /** kubelet: nodeLeaseDurationSeconds 40, renewed every 10s (a quarter of it). */
  leaseDurationSeconds: 40,
  leaseRenewInterval: 10 * SECOND,
  /** kubelet --node-status-update-frequency. */
  nodeStatusUpdateFrequency: 10 * SECOND,
  /** kube-controller-manager --node-monitor-period. */
  nodeMonitorPeriod: 5 * SECOND,
  /** kube-controller-manager --node-monitor-grace-period (50s since v1.32). */
  nodeMonitorGracePeriod: 50 * SECOND,
  /** --node-eviction-rate (nodes/s per zone) and --secondary-node-eviction-rate. */
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  /** --unhealthy-zone-threshold and --large-cluster-size-threshold. */
  unhealthyZoneThreshold: 0.55,
  largeClusterSizeThreshold: 50,
  /** DefaultTolerationSeconds admission plugin. */
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  /** Pod spec default. */
  terminationGracePeriodSeconds: 30,
  /** Container restart back-off (kubelet): 10s doubling, capped at 300s, reset after 10 min. */
  backoffInitial: 10 * SECOND,
  backoffMax: 300 * SECOND,
  backoffReset: 10 * MINUTE,
  /** Node allocatable default pods. */
  maxPods: 110,
  /** Scheduler backoff of unschedulable pods. */
  podInitialBackoff: 1 * SECOND,
  podMaxBackoff: 10 * SECOND,
  /** ReplicaSet controller: at most this many creations/deletions per sync (burstReplicas). */
  burstReplicas: 500,
  /** Events expire after an hour (kube-apiserver --event-ttl). */
  eventTtl: 60 * MINUTE,
} as const;

/**
 * The envelope the simulation promises (kubernetes.io "Considerations for large clusters").
 * Requests past it are refused in the style of a ResourceQuota, and the engine keeps running.
 */
export const envelope = {
  maxNodes: 5000,
  maxPods: 150_000,
  maxPodsPerNode: 110,
  maxContainers: 300_000,
} as const;
