import type { Probe } from '../api/types';
import type { ConnectResult, ExecResult, RequestMeta } from '../world/process';

/** A probe with the API defaults filled in (SetDefaults_Probe). */
export interface ProbeSpec {
  probe: Probe;
  initialDelayMs: number;
  periodMs: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** Defaults: initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, successThreshold 1, failureThreshold 3. */
export function probeDefaults(probe: Probe): ProbeSpec {
  return {
    probe,
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** How a probe reaches the container: exec in it, or connect through the pod's network. */
export interface ProbeTarget {
  podIP: string;
  exec(argv: string[]): ExecResult & { elapsedMs?: number; timedOut?: boolean };
  connect(host: string, port: number, path: string, meta?: RequestMeta): ConnectResult;
  /** The node's IP: probes come from the kubelet, so servers log it as the client. */
  hostIP?: string;
  /** Resolve a named container port (`http`) to its number. */
  portByName(name: string): number | undefined;
}

export interface ProbeOutcome {
  ok: boolean;
  /** The text after "Liveness probe failed: " in the Unhealthy event. */
  output: string;
}

function resolvePort(p: number | string | undefined, t: ProbeTarget): number {
  if (typeof p === 'number') return p;
  if (p && /^\d+$/.test(p)) return Number(p);
  return t.portByName(p ?? '') ?? -1;
}

/**
 * Run one probe as the kubelet's prober does, with its failure messages: exec (exit code 0 =
 * success, output = combined stdout/stderr), httpGet (2xx/3xx = success), tcpSocket (connect), and
 * grpc — which we treat as a TCP connect (simplification: no health service protocol).
 */
export function runProbe(probe: Probe, t: ProbeTarget): ProbeOutcome {
  if (probe.exec) {
    const argv = probe.exec.command ?? [];
    const r = t.exec(argv);
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    // runToCompletion does not move the clock; it reports how long the command would have taken.
    if (r.timedOut || (r.elapsedMs ?? 0) > timeoutMs) return { ok: false, output: `command "${argv.join(' ')}" timed out` };
    const output = (r.stdout + r.stderr).replace(/\n$/, '');
    if (r.exitCode === 0) return { ok: true, output };
    return { ok: false, output };
  }
  if (probe.httpGet) {
    const h = probe.httpGet;
    const host = h.host || t.podIP;
    const port = resolvePort(h.port, t);
    const path = h.path ?? '/';
    const scheme = (h.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${host}:${port}${path}`;
    const r = t.connect(host, port, path, { method: 'GET', userAgent: 'kube-probe/1.34', ...(t.hostIP ? { clientIp: t.hostIP } : {}) });
    if (!r.ok) {
      if (r.error === 'refused') return { ok: false, output: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
      return { ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
    }
    if (r.response.status >= 200 && r.response.status < 400) return { ok: true, output: '' };
    return { ok: false, output: `HTTP probe failed with statuscode: ${r.response.status}` };
  }
  if (probe.tcpSocket || probe.grpc) {
    const port = probe.tcpSocket ? resolvePort(probe.tcpSocket.port, t) : probe.grpc!.port;
    const host = probe.tcpSocket?.host || t.podIP;
    const r = t.connect(host, port, '');
    if (r.ok) return { ok: true, output: '' };
    if (probe.grpc) return { ok: false, output: `timeout: failed to connect service "${host}:${port}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
    if (r.error === 'refused') return { ok: false, output: `dial tcp ${host}:${port}: connect: connection refused` };
    return { ok: false, output: `dial tcp ${host}:${port}: i/o timeout` };
  }
  return { ok: true, output: '' };
}
