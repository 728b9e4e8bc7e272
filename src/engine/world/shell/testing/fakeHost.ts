/**
 * A ProcessHost for tests: a Clock drives time, output is collected, ports live in a shared map
 * (so two processes can collide on a port), and `connect` resolves names from a small table.
 */
import { Clock } from '../../../clock';
import { MemoryFileSystem } from '../../fs';
import type { ConnectResult, FileSystem, ProcessHost, RequestHandler, RequestMeta } from '../../process';
import { runToCompletion, startProcess } from '../../images';
import { formatDate } from '../commands';

export interface FakeNet {
  /** name or IP → ports map of the pod that answers there. */
  hosts: Map<string, Map<number, RequestHandler>>;
  /** names that resolve but time out. */
  blackholes: Set<string>;
}

export class FakeHost implements ProcessHost {
  readonly out: string[] = [];
  readonly err: string[] = [];
  /** stdout and stderr interleaved, stderr lines prefixed with `!`. */
  readonly log: string[] = [];
  exitCode?: number;
  exitAt?: number;
  exits = 0;
  memory = 0;
  readonly ports: Map<number, RequestHandler>;
  readonly requests: { path: string; meta?: RequestMeta }[] = [];

  constructor(
    readonly clock: Clock = new Clock(),
    readonly fs: FileSystem = new MemoryFileSystem({ '/tmp/.keep': '' }),
    readonly env: Record<string, string> = {},
    readonly hostname = 'test-pod',
    readonly net: FakeNet = { hosts: new Map(), blackholes: new Set() },
    ports?: Map<number, RequestHandler>,
  ) {
    this.ports = ports ?? new Map();
    net.hosts.set('localhost', this.ports);
    net.hosts.set('127.0.0.1', this.ports);
  }

  now(): number {
    return this.clock.now();
  }
  date(): string {
    return formatDate('%a %b %e %H:%M:%S UTC %Y', this.clock.now());
  }
  stdout(line: string): void {
    this.out.push(line);
    this.log.push(line);
  }
  stderr(line: string): void {
    this.err.push(line);
    this.log.push('!' + line);
  }
  after(ms: number, fn: () => void) {
    return this.clock.after(ms, fn);
  }
  listen(port: number, handler: RequestHandler): boolean {
    if (this.ports.has(port)) return false;
    this.ports.set(port, handler);
    return true;
  }
  connect(host: string, port: number, path: string, meta?: RequestMeta): ConnectResult {
    if (this.net.blackholes.has(host)) return { ok: false, error: 'timeout' };
    const ports = this.net.hosts.get(host);
    if (!ports) return { ok: false, error: 'unresolved' };
    const h = ports.get(port);
    if (!h) return { ok: false, error: 'refused' };
    this.requests.push({ path, meta });
    return { ok: true, response: h(path, { clientIp: '10.244.1.1', ...meta }) };
  }
  /** Absent unless a test sets it (then tools print addresses). */
  resolve?: (name: string) => string | undefined;

  setMemory(bytes: number): void {
    this.memory = bytes;
  }
  exit(code: number): void {
    this.exits++;
    this.exitCode = code;
    this.exitAt = this.clock.now();
    this.ports.clear();
  }
}

/** Run a `sh -c` script as a container's main process and advance the clock by `ms`. */
export function runScript(script: string, ms = 0, host = new FakeHost(), image = 'busybox') {
  const proc = startProcess({ image, command: ['sh', '-c', script] }, host);
  host.clock.advanceBy(ms);
  return { host, proc };
}

/** Run a `sh -c` script synchronously (like `kubectl exec`). */
export function execScript(script: string, host = new FakeHost()) {
  return runToCompletion(['sh', '-c', script], host);
}
