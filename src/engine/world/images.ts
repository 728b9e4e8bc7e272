/**
 * The catalogue of simulated container images (placeholder while the shell lands).
 */
import type { ExecResult, Process, ProcessHost } from './process';

export interface ImageInfo {
  name: string;
  sizeBytes: number;
  pullMs: number;
  ports: number[];
  startMs: number;
  memoryBytes: number;
  entrypoint: string[];
  cmd: string[];
  files: Record<string, string>;
}

const KNOWN: Record<string, string[]> = { 'docker.io/library/nginx': ['latest', '1.14.2', '1.25'], 'docker.io/library/busybox': ['latest', '1.28', '1.36'] };

export function lookupImage(ref: string): ImageInfo | undefined {
  const m = /^(?:docker\.io\/)?(?:library\/)?([^:@]+)(?::([^@]+))?$/.exec(ref);
  if (!m) return undefined;
  const repo = 'docker.io/library/' + m[1];
  const tag = m[2] ?? 'latest';
  if (!KNOWN[repo]?.includes(tag)) return undefined;
  const isNginx = m[1] === 'nginx';
  return { name: `${m[1]}:${tag}`, sizeBytes: isNginx ? 70e6 : 2e6, pullMs: isNginx ? 4000 : 600, ports: isNginx ? [80] : [], startMs: 100, memoryBytes: 5e6, entrypoint: [], cmd: isNginx ? ['nginx', '-g', 'daemon off;'] : ['sh'], files: {} };
}

export function startProcess(container: { image: string; command?: string[]; args?: string[] }, host: ProcessHost): Process {
  const info = lookupImage(container.image);
  let done = false;
  if (info?.ports.length) host.listen(80, () => ({ status: 200, body: 'Welcome to nginx!' }));
  else host.after(0, () => { if (!done) { done = true; host.exit(0); } });
  return { signal: (sig) => { if (!done && sig !== 'SIGKILL') { done = true; host.exit(0); } if (sig === 'SIGKILL') done = true; } };
}

export function runToCompletion(_argv: string[], _host: ProcessHost): ExecResult {
  return { stdout: '', stderr: '', exitCode: 0 };
}
