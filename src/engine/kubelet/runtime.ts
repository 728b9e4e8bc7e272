import { checkStart, lookupImage, runToCompletion, startProcess, type ImageInfo } from '../world/images';
import { MemoryFileSystem, mountedFileSystem, type Mount } from '../world/fs';
import type { ExecResult, FileSystem, Process, ProcessHost } from '../world/process';

/**
 * What the kubelet's simulated container runtime needs from the world: the image catalogue, the
 * processes, and file systems. The default is the real catalogue (world/images.ts, world/fs.ts);
 * tests swap in a fake through {@link Kubelet.runtime}.
 */
export interface ContainerRuntimeDeps {
  lookupImage(ref: string): ImageInfo | undefined;
  startProcess(container: { image: string; command?: string[]; args?: string[] }, host: ProcessHost): Process;
  /** Exec results may also say how long the command "took" (virtual ms) and whether it never ended. */
  runToCompletion(argv: string[], host: ProcessHost): ExecResult & { elapsedMs?: number; timedOut?: boolean };
  /** Whether the container's command exists in its image (undefined = yes), else the runtime's error. */
  checkStart?(container: { image: string; command?: string[]; args?: string[] }, host: Pick<ProcessHost, 'fs' | 'env'>): string | undefined;
  newFileSystem(files?: Record<string, string>): FileSystem;
  mount(root: FileSystem, mounts: Mount[]): FileSystem;
}

export const defaultRuntime: ContainerRuntimeDeps = {
  lookupImage,
  startProcess,
  runToCompletion,
  checkStart,
  newFileSystem: (files) => new MemoryFileSystem(files ?? {}),
  mount: mountedFileSystem,
};

export type { ImageInfo };

/** Docker's reference normalisation: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImageRef(ref: string): string {
  let name = ref;
  let tag = '';
  const at = name.indexOf('@');
  if (at >= 0) return ref.includes('/') ? ref : `docker.io/library/${ref}`;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = `docker.io/${name.includes('/') ? name : `library/${name}`}`;
  return `${name}:${tag || 'latest'}`;
}

/** The effective imagePullPolicy: `Always` for `:latest` or no tag, `IfNotPresent` otherwise (API defaulting). */
export function pullPolicy(image: string, policy: string | undefined): 'Always' | 'IfNotPresent' | 'Never' {
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return policy;
  if (image.includes('@')) return 'IfNotPresent';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** A deterministic fake digest for an image (sha256-shaped, from a string hash). */
export function imageDigest(ref: string): string {
  let h1 = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < ref.length; i++) {
      h1 ^= ref.charCodeAt(i) + round;
      h1 = Math.imul(h1, 0x01000193) >>> 0;
    }
    out += h1.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}
