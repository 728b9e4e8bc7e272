/**
 * In-memory file systems for simulated containers: the container's own writable layer, emptyDir
 * volumes, configMap/secret files, and the mount table that joins them into one tree.
 *
 * Paths are absolute and slash-separated; `.` and `..` are resolved. Errors are thrown as
 * {@link FsError} with the errno wording a shell prints (`Read-only file system`, `No such file or
 * directory`), so the shell can report them like busybox does and never let them out of the engine.
 *
 * @example
 * const root = new MemoryFileSystem({ '/etc/hostname': 'web\n' });
 * const html = new MemoryFileSystem();
 * const fs = mountedFileSystem(root, [{ path: '/usr/share/nginx/html', fs: html }]);
 * fs.write('/usr/share/nginx/html/index.html', 'hi'); // lands in `html` as /index.html
 */
import type { FileSystem } from './process';

/** errno-style codes, with the strerror text a shell prints. */
export const FS_ERRORS = {
  EROFS: 'Read-only file system',
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EBUSY: 'Resource busy',
  ENOTEMPTY: 'Directory not empty',
} as const;
export type FsErrorCode = keyof typeof FS_ERRORS;

/** A file-system error; `message` is the strerror text (e.g. "Read-only file system"). */
export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    readonly path: string,
  ) {
    super(FS_ERRORS[code]);
    this.name = 'FsError';
  }
}

/** Normalise an absolute path: collapse `//`, resolve `.` and `..`, drop a trailing slash. */
export function normalizePath(path: string, cwd = '/'): string {
  // Fast path: most paths are already absolute and clean.
  if (path.charCodeAt(0) === 47 && !UNNORMAL.test(path)) return path;
  const full = path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`;
  const out: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** `//`, `/./`, `/../` or a trailing slash: a path normalizePath would change. */
const UNNORMAL = /\/\/|\/\.\.?(\/|$)|.\/$/;

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * A plain in-memory tree. Writing a file creates its missing parent directories (the kubelet writes
 * configMap keys this way); a shell that wants POSIX behaviour checks the parent first.
 *
 * Why two layers: the initial files (an image's layer, ~40 entries) are kept as the given object and
 * only read, never copied into maps, so creating a container's file system is O(1) — a cluster of
 * 150,000 pods would otherwise spend minutes building identical trees. Writes go to an upper layer;
 * the first removal of an initial file copies the lower layer up (removals are rare).
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);
  private lower: Readonly<Record<string, string>>;

  /** Optionally seed files: `{ '/etc/hostname': 'web\n' }` (absolute, normalised paths; not copied, never mutated). */
  constructor(initial: Readonly<Record<string, string>> = {}) {
    this.lower = initial;
    for (const p in initial) {
      if (!p.startsWith('/') || UNNORMAL.test(p)) {
        // Unusual keys: take the slow, exact path.
        this.lower = {};
        for (const [k, v] of Object.entries(initial)) this.write(k, v);
        break;
      }
    }
  }

  read(path: string): string | undefined {
    const p = normalizePath(path);
    return this.files.get(p) ?? (Object.prototype.hasOwnProperty.call(this.lower, p) ? this.lower[p] : undefined);
  }

  write(path: string, content: string, append = false): void {
    const p = normalizePath(path);
    if (this.isDir(p)) throw new FsError('EISDIR', p);
    this.ensureDirs(parentOf(p));
    const old = append ? (this.read(p) ?? '') : '';
    this.files.set(p, old + content);
  }

  remove(path: string): boolean {
    const p = normalizePath(path);
    if (p === '/') return false;
    if (this.lowerHas(p) || this.lowerHasDir(p)) this.copyUp();
    if (this.files.delete(p)) return true;
    if (!this.dirs.has(p)) return false;
    // Removing a directory removes its subtree (the shell checks emptiness for `rmdir`/`rm` without -r).
    const prefix = p + '/';
    for (const f of [...this.files.keys()]) if (f.startsWith(prefix)) this.files.delete(f);
    for (const d of [...this.dirs]) if (d === p || d.startsWith(prefix)) this.dirs.delete(d);
    return true;
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.files.has(p) || this.lowerHas(p) || this.isDir(p);
  }

  isDir(path: string): boolean {
    const p = normalizePath(path);
    return this.dirs.has(p) || this.lowerHasDir(p);
  }

  /** Names (not paths) of the entries directly in `dir`, sorted; [] if it is not a directory. */
  list(dir: string): string[] {
    const d = normalizePath(dir);
    if (!this.isDir(d)) return [];
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    const add = (p: string) => {
      if (p !== d && p.startsWith(prefix)) {
        const rest = p.slice(prefix.length);
        if (rest) names.add(rest.split('/')[0]);
      }
    };
    for (const p of this.files.keys()) add(p);
    for (const p of this.dirs) add(p);
    for (const p of Object.keys(this.lower)) add(p);
    return [...names].sort();
  }

  /** Create a directory and its parents (like `mkdir -p`). */
  mkdir(path: string): void {
    this.ensureDirs(normalizePath(path));
  }

  /** Total bytes of file content (one char = one byte), e.g. for emptyDir `medium: Memory` accounting. */
  usedBytes(): number {
    let n = 0;
    for (const c of this.files.values()) n += c.length;
    for (const [k, c] of Object.entries(this.lower)) if (!this.files.has(k)) n += c.length;
    return n;
  }

  private lowerHas(p: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.lower, p);
  }

  private lowerHasDir(p: string): boolean {
    if (p === '/') return true;
    const prefix = p + '/';
    for (const k in this.lower) if (k.startsWith(prefix)) return true;
    return false;
  }

  private copyUp(): void {
    const lower = this.lower;
    this.lower = {};
    for (const [k, v] of Object.entries(lower)) {
      if (!this.files.has(k)) {
        this.ensureDirs(parentOf(k));
        this.files.set(k, v);
      }
    }
  }

  private ensureDirs(p: string): void {
    let cur = p;
    const todo: string[] = [];
    while (!this.dirs.has(cur)) {
      if (this.files.has(cur) || this.lowerHas(cur)) throw new FsError('ENOTDIR', cur);
      todo.push(cur);
      cur = parentOf(cur);
    }
    for (const d of todo) this.dirs.add(d);
  }
}

/** One entry of a container's mount table. */
export interface Mount {
  /** Absolute mount point, e.g. `/usr/share/nginx/html`. */
  path: string;
  fs: FileSystem;
  readOnly?: boolean;
}

/**
 * Join a root file system and volume mounts into one tree, like a container's mount namespace.
 * The longest mount point that is a prefix of a path wins; a write, mkdir or remove under a
 * `readOnly` mount throws {@link FsError} `EROFS` ("Read-only file system"). Mount points show up as
 * directories in their parent's listing and cannot be removed (`EBUSY`).
 */
export function mountedFileSystem(root: FileSystem, mounts: Mount[]): FileSystem {
  return new MountedFileSystem(root, mounts);
}

/** See {@link mountedFileSystem}. A class, so a running container holds one small object, not a closure per method. */
class MountedFileSystem implements FileSystem {
  private readonly table: Mount[];

  constructor(
    private readonly root: FileSystem,
    mounts: Mount[],
  ) {
    this.table = mounts.map((m) => ({ ...m, path: normalizePath(m.path) })).sort((a, b) => b.path.length - a.path.length);
  }

  private resolve(path: string): { fs: FileSystem; sub: string; readOnly: boolean; at?: string } {
    const p = normalizePath(path);
    for (const m of this.table) {
      if (m.path === '/' || p === m.path || p.startsWith(m.path + '/')) {
        const sub = m.path === '/' ? p : normalizePath(p.slice(m.path.length) || '/');
        return { fs: m.fs, sub, readOnly: !!m.readOnly, at: m.path };
      }
    }
    return { fs: this.root, sub: p, readOnly: false };
  }

  private writable(path: string) {
    const r = this.resolve(path);
    if (r.readOnly) throw new FsError('EROFS', normalizePath(path));
    return r;
  }

  private isMountPoint(p: string): boolean {
    return this.table.some((m) => m.path === p);
  }

  /** A directory that only exists because a mount point lies below it (e.g. /usr/share/nginx). */
  private holdsMount(p: string): boolean {
    return this.table.some((m) => m.path === p || m.path.startsWith(p === '/' ? '/' : p + '/'));
  }

  read(path: string): string | undefined {
    const r = this.resolve(path);
    return r.fs.read(r.sub);
  }

  write(path: string, content: string, append?: boolean): void {
    const r = this.writable(path);
    r.fs.write(r.sub, content, append);
  }

  remove(path: string): boolean {
    const p = normalizePath(path);
    if (this.isMountPoint(p)) throw new FsError('EBUSY', p);
    const r = this.writable(p);
    return r.fs.remove(r.sub);
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    if (this.holdsMount(p)) return true;
    const r = this.resolve(p);
    return r.fs.exists(r.sub);
  }

  isDir(path: string): boolean {
    const p = normalizePath(path);
    if (this.holdsMount(p)) return true;
    const r = this.resolve(p);
    return r.fs.isDir(r.sub);
  }

  list(dir: string): string[] {
    const d = normalizePath(dir);
    const r = this.resolve(d);
    const names = new Set(r.fs.list(r.sub));
    // Mount points directly below `dir` appear as entries (and their parents, if only implied).
    const prefix = d === '/' ? '/' : d + '/';
    for (const m of this.table) {
      if (m.path !== d && m.path.startsWith(prefix)) names.add(m.path.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  mkdir(path: string): void {
    const p = normalizePath(path);
    if (this.isMountPoint(p)) return;
    const r = this.writable(p);
    r.fs.mkdir(r.sub);
  }
}
