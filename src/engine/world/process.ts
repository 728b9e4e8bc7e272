/**
 * The contract between the kubelet's simulated container runtime and the simulated processes that
 * run in containers (images from the catalogue, the shell interpreter). A process never touches the
 * API: it sees only what a real process sees — its files, env, network, stdout and signals.
 *
 * Implemented by: world/images.ts + world/shell/ (the process side), kubelet/ (the host side).
 */
import type { TimerHandle } from '../clock';

/** A small in-memory file system: emptyDir volumes, configMap/secret files, the container's own layer. */
export interface FileSystem {
  read(path: string): string | undefined;
  write(path: string, content: string, append?: boolean): void;
  remove(path: string): boolean;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  list(dir: string): string[];
  mkdir(path: string): void;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** What a connection attempt gives back: a response, or an error as curl/wget would report it. */
export type ConnectResult = { ok: true; response: HttpResponse } | { ok: false; error: 'refused' | 'timeout' | 'unresolved' };

/** Optional facts about a request, for access logs (`"GET / HTTP/1.1" 200 615 "-" "kube-probe/1.34"`). */
export interface RequestMeta {
  clientIp?: string;
  userAgent?: string;
  method?: string;
}

/** A port a process listens on; the handler answers HTTP-ish requests (path) or plain TCP connects. */
export type RequestHandler = (path: string, meta?: RequestMeta) => HttpResponse;

export type Signal = 'SIGTERM' | 'SIGKILL' | 'SIGINT';

/** What the kubelet gives each process: the container's world. */
export interface ProcessHost {
  /** Virtual now in ms. */
  now(): number;
  /** Wall-clock style date string for `date`. */
  date(): string;
  /** Append a line to the container's stdout (its log). */
  stdout(line: string): void;
  stderr(line: string): void;
  /** The container's file system (its own layer plus its volume mounts). */
  readonly fs: FileSystem;
  readonly env: Readonly<Record<string, string>>;
  readonly hostname: string;
  /** Schedule on the virtual clock. */
  after(ms: number, fn: () => void): TimerHandle;
  /** Bind a port in the Pod's shared network namespace. False = "address already in use". */
  listen(port: number, handler: RequestHandler): boolean;
  /** Connect to localhost, a Pod IP, or a Service name / ClusterIP. */
  connect(host: string, port: number, path: string, meta?: RequestMeta): ConnectResult;
  /**
   * Optional DNS lookup as the pod's resolver would answer (search domains applied): the address, or
   * undefined for NXDOMAIN. Without it, tools fall back to `connect(name, 0, '')` and print no address.
   */
  resolve?(name: string): string | undefined;
  /** Memory the process now uses (bytes); above the container's limit the kubelet OOM-kills it. */
  setMemory(bytes: number): void;
  /** The process ends with this exit code. Call once. */
  exit(code: number): void;
}

/** A running simulated process, as the runtime holds it. */
export interface Process {
  /** Deliver a signal. SIGKILL ends the process at once with 137 (the runtime calls host.exit for it). */
  signal(sig: Signal): void;
}

/** Exec inside a running container: run a command to completion and get its output and exit code. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}
