import type { Clock } from '../clock';
import type { ApiStore } from './store';
import type { Event, KObject } from './types';

export type EventType = 'Normal' | 'Warning';

/** The component that reports an event, as `kubectl describe` shows it in the From column. */
export interface EventSource {
  component: string;
  host?: string;
}

/**
 * Records core/v1 Events the way client-go's EventRecorder + the event correlator do: an identical
 * event (same object, type, reason, message, source) within the TTL bumps `count` and `lastTimestamp`
 * instead of creating a new object, which kubectl prints as `2m (x4 over 5m)`.
 */
export class EventRecorder {
  private readonly byKey = new Map<string, string>();
  private serial = 0;
  /** Set false (e.g. in benchmarks) to skip storing events. */
  enabled = true;

  constructor(
    private readonly clock: Clock,
    private readonly store: ApiStore,
  ) {}

  record(object: KObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    if (!this.enabled) return;
    const meta = object.metadata!;
    const namespace = meta.namespace ?? 'default';
    const key = [meta.uid, type, reason, message, source.component, source.host ?? '', fieldPath ?? ''].join('\u0000');
    const now = this.clock.timestamp();
    const existingName = this.byKey.get(key);
    const existing = existingName ? this.store.get('Event', namespace, existingName) : undefined;
    if (existing) {
      this.store.update('Event', { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    // Real event names are `<object>.<hex nanoseconds>`; a serial keeps ours unique and deterministic.
    const name = `${meta.name}.${(0x180000000000 + ++this.serial).toString(16)}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.store.create('Event', event);
    this.byKey.set(key, name);
  }

  /** Events about one object (by uid), oldest first, as describe lists them. */
  eventsFor(object: KObject): Event[] {
    const uid = object.metadata!.uid;
    const out: Event[] = [];
    for (const e of this.store.values('Event')) if (e.involvedObject.uid === uid) out.push(e);
    return out.sort((a, b) => (a.firstTimestamp! < b.firstTimestamp! ? -1 : a.firstTimestamp! > b.firstTimestamp! ? 1 : 0));
  }
}
