/**
 * Plugin results, as pkg/scheduler/framework's `Status`: a code plus human-readable reasons.
 * Plugins return `null` for Success (Go returns a nil *Status), so the hot filter loop allocates nothing.
 */
export enum Code {
  Success = 'Success',
  /** An internal error: the pod goes to the backoff queue. */
  Error = 'Error',
  /** The node does not fit now, but preemption might help (e.g. "Insufficient cpu"). */
  Unschedulable = 'Unschedulable',
  /** The node does not fit and preemption cannot change that (e.g. an untolerated taint). */
  UnschedulableAndUnresolvable = 'UnschedulableAndUnresolvable',
  /** PreFilter/PreScore: this plugin has nothing to do for this pod; its later stage is skipped. */
  Skip = 'Skip',
}

export class Status {
  /** The plugin that produced this status (set by the framework). */
  plugin = '';
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  /** The reasons joined, as Status.Message() does. */
  message(): string {
    return this.reasons.join(', ');
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
}

/** A Success / Unschedulable / ... result; `null` means Success. */
export type Result = Status | null;

/**
 * A status shared by every node it applies to (frozen, with the plugin name set), so constant
 * rejections cost no allocation and group by identity in explanations.
 */
export function constStatus(plugin: string, code: Code, ...reasons: string[]): Status {
  const s = new Status(code, reasons);
  s.plugin = plugin;
  return Object.freeze(s);
}
