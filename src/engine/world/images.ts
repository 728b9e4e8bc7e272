/**
 * The catalogue of simulated container images, and how their processes start.
 *
 * An image is known by repository and tag; anything else "does not exist", so the kubelet reports
 * `ErrImagePull` as a real registry's "not found" would make it. References are normalised like
 * Docker's: `nginx`, `nginx:latest`, `library/nginx` and `docker.io/library/nginx:latest` are one.
 *
 * Each image lists the binaries it ships (as marker files in {@link ImageInfo.files}, so `ls /bin`
 * works and a missing `curl` in `debian` is "not found", as in real life), its ENTRYPOINT/CMD and
 * environment, its compressed size (→ a deterministic pull time), the ports it listens on, and the
 * memory its main process uses.
 *
 * @example
 * const info = lookupImage('nginx:1.25')!;         // info.pullMs, info.ports → [80]
 * const fs = new MemoryFileSystem(info.files);      // the container's own layer
 * const proc = startProcess({ image: 'nginx:1.25' }, host);
 * proc.signal('SIGTERM');                           // nginx exits 0
 */
import type { ExecResult, FileSystem, Process, ProcessHost } from './process';
import { type CommandTable, type Program, Shell, baseName } from './shell/interpreter';
import { BUILTINS, UTILITIES, shellProgram } from './shell/commands';
import { SERVERS } from './shell/servers';
import { ExitSignal, LineSink, pid1ByFs, ProcessRuntime, type Run, Stdin, StringSink } from './shell/runtime';

export interface ImageInfo {
  /** Canonical reference, e.g. `docker.io/library/nginx:1.25`. */
  name: string;
  /** `docker.io/library/nginx` */
  repository: string;
  tag: string;
  /** Compressed size, as the kubelet's `Pulled` event reports it ("Image size: N bytes"). */
  sizeBytes: number;
  /** Simulated pull time: 300 ms plus the size at 25 MB/s. Deterministic. */
  pullMs: number;
  /** Ports the default command listens on. */
  ports: number[];
  /** Time from process start until it serves (for the kubelet's "Started" → ready delay, if it models one). */
  startMs: number;
  /** Resident memory of the default process. */
  memoryBytes: number;
  /** Docker ENTRYPOINT and CMD. */
  entrypoint: string[];
  cmd: string[];
  /** The image's ENV (PATH, NGINX_VERSION…); the container's own env goes on top. */
  env: Record<string, string>;
  /** Files of the image layer: binaries (as markers) and content such as nginx's index.html. Shared and frozen. */
  files: Readonly<Record<string, string>>;
}

const MB = 1_000_000;
const PULL_BASE_MS = 300;
const PULL_BYTES_PER_S = 25 * MB;

const BUSYBOX_APPLETS = [
  'sh', 'ash', 'sleep', 'cat', 'head', 'tail', 'grep', 'wc', 'tee', 'touch', 'rm', 'rmdir', 'mkdir', 'cp', 'mv', 'ls', 'env',
  'printenv', 'hostname', 'uname', 'date', 'seq', 'expr', 'basename', 'dirname', 'id', 'whoami', 'true', 'false', 'echo',
  'printf', 'test', '[', 'wget', 'nc', 'nslookup', 'kill', 'ps', 'timeout',
];
const COREUTILS = [
  'sleep', 'cat', 'head', 'tail', 'grep', 'wc', 'tee', 'touch', 'rm', 'rmdir', 'mkdir', 'cp', 'mv', 'ls', 'env', 'printenv',
  'hostname', 'uname', 'date', 'seq', 'expr', 'basename', 'dirname', 'id', 'whoami', 'true', 'false', 'echo', 'printf',
  'test', '[', 'kill', 'timeout',
];
const DEBIAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ALPINE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function binaries(dir: string, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[`${dir}/${n}`] = `\x7fELF ${n}\n`;
  return out;
}

const busyboxLayer = (): Record<string, string> => ({ ...binaries('/bin', BUSYBOX_APPLETS), '/tmp/.keep': '', '/etc/.keep': '' });
const debianLayer = (pretty: string): Record<string, string> => ({
  ...binaries('/bin', ['sh', 'bash', 'dash']),
  ...binaries('/usr/bin', COREUTILS),
  '/etc/os-release': `PRETTY_NAME="${pretty}"\n`,
  '/tmp/.keep': '',
});

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

interface Repo {
  /** tag → [compressed size in bytes, version-ish env value] */
  tags: Record<string, [number, string?]>;
  entrypoint: string[];
  cmd: string[];
  ports: number[];
  startMs: number;
  memoryBytes: number;
  env: (version: string) => Record<string, string>;
  files: (version: string, tag: string) => Record<string, string>;
}

const nginxRepo: Repo = {
  tags: {
    latest: [72_100_000, '1.29.1'],
    '1.29': [72_100_000, '1.29.1'],
    '1.27': [70_900_000, '1.27.5'],
    '1.26': [70_500_000, '1.26.3'],
    '1.25': [70_500_000, '1.25.5'],
    '1.25.3': [70_300_000, '1.25.3'],
    '1.23': [57_000_000, '1.23.4'],
    '1.21': [54_900_000, '1.21.6'],
    '1.14.2': [44_700_000, '1.14.2'],
    alpine: [20_700_000, '1.29.1'],
    stable: [70_900_000, '1.28.0'],
    'stable-alpine': [20_500_000, '1.28.0'],
  },
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  ports: [80],
  startMs: 50,
  memoryBytes: 4 * 1024 * 1024,
  env: (v) => ({ PATH: DEBIAN_PATH, NGINX_VERSION: v }),
  files: (v, tag) => ({
    ...(tag.includes('alpine') ? busyboxLayer() : debianLayer('Debian GNU/Linux 12 (bookworm)')),
    // curl ships in the modern Debian-based nginx images, not in 1.14.2.
    ...(v === '1.14.2' ? {} : binaries('/usr/bin', ['curl'])),
    ...binaries('/usr/sbin', ['nginx', 'nginx-debug']),
    ...(v === '1.14.2' ? {} : { '/docker-entrypoint.sh': '#!/bin/sh\n# simulated\n' }),
    '/usr/share/nginx/html/index.html': NGINX_INDEX,
    '/usr/share/nginx/html/50x.html': '<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n',
    '/etc/nginx/nginx.conf': 'user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /var/run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n',
    '/etc/nginx/conf.d/default.conf': 'server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n',
    '/var/log/nginx/.keep': '',
  }),
};

const REPOS: Record<string, Repo> = {
  'docker.io/library/nginx': nginxRepo,
  'docker.io/library/httpd': {
    tags: { latest: [58_700_000, '2.4.65'], '2.4': [58_700_000, '2.4.65'], alpine: [23_000_000, '2.4.65'] },
    entrypoint: [],
    cmd: ['httpd-foreground'],
    ports: [80],
    startMs: 200,
    memoryBytes: 8 * 1024 * 1024,
    env: (v) => ({ PATH: '/usr/local/apache2/bin:' + DEBIAN_PATH, HTTPD_PREFIX: '/usr/local/apache2', HTTPD_VERSION: v }),
    files: () => ({
      ...debianLayer('Debian GNU/Linux 12 (bookworm)'),
      ...binaries('/usr/local/bin', ['httpd-foreground']),
      ...binaries('/usr/local/apache2/bin', ['httpd']),
      '/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n',
    }),
  },
  'docker.io/library/redis': {
    tags: { latest: [49_500_000, '8.2.1'], '8': [49_500_000, '8.2.1'], '7': [45_300_000, '7.4.5'], '7.2': [44_900_000, '7.2.10'], alpine: [17_000_000, '8.2.1'] },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    ports: [6379],
    startMs: 100,
    memoryBytes: 3 * 1024 * 1024,
    env: (v) => ({ PATH: DEBIAN_PATH, REDIS_VERSION: v }),
    files: () => ({
      ...debianLayer('Debian GNU/Linux 12 (bookworm)'),
      ...binaries('/usr/local/bin', ['redis-server', 'redis-cli', 'docker-entrypoint.sh']),
      '/data/.keep': '',
    }),
  },
  'docker.io/library/busybox': busyboxRepo({ latest: [2_160_000], '1.37': [2_160_000], '1.36': [2_150_000], '1.36.1': [2_150_000], '1.35': [2_130_000], '1.34': [2_120_000], '1.28': [728_000], stable: [2_160_000], musl: [860_000] }),
  'docker.io/library/alpine': {
    tags: { latest: [3_640_000], '3.22': [3_800_000], '3.21': [3_640_000], '3.20': [3_620_000], '3.19': [3_420_000], '3': [3_800_000] },
    entrypoint: [],
    cmd: ['/bin/sh'],
    ports: [],
    startMs: 10,
    memoryBytes: 400 * 1024,
    env: () => ({ PATH: ALPINE_PATH }),
    files: () => ({ ...busyboxLayer(), '/etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nPRETTY_NAME="Alpine Linux v3.22"\n', '/etc/alpine-release': '3.22.1\n' }),
  },
  'docker.io/library/debian': {
    tags: { latest: [48_500_000], bookworm: [48_500_000], 'bookworm-slim': [28_200_000], '12': [48_500_000], 'stable-slim': [28_200_000], trixie: [49_300_000] },
    entrypoint: [],
    cmd: ['bash'],
    ports: [],
    startMs: 20,
    memoryBytes: 1024 * 1024,
    env: () => ({ PATH: DEBIAN_PATH }),
    files: () => debianLayer('Debian GNU/Linux 12 (bookworm)'),
  },
  'docker.io/library/ubuntu': {
    tags: { latest: [29_700_000], '24.04': [29_700_000], noble: [29_700_000], '22.04': [29_500_000], jammy: [29_500_000], '20.04': [27_500_000] },
    entrypoint: [],
    cmd: ['/bin/bash'],
    ports: [],
    startMs: 20,
    memoryBytes: 1024 * 1024,
    env: () => ({ PATH: DEBIAN_PATH }),
    files: () => debianLayer('Ubuntu 24.04.3 LTS'),
  },
  'docker.io/curlimages/curl': {
    tags: { latest: [10_400_000], '8.15.0': [10_400_000], '8.5.0': [9_100_000], '8.1.2': [8_900_000] },
    entrypoint: ['/entrypoint.sh'],
    cmd: ['curl'],
    ports: [],
    startMs: 10,
    memoryBytes: 2 * 1024 * 1024,
    env: () => ({ PATH: ALPINE_PATH }),
    files: () => ({ ...busyboxLayer(), ...binaries('/usr/bin', ['curl']), '/entrypoint.sh': '#!/bin/sh\n# simulated\n' }),
  },
  'docker.io/polinux/stress': {
    tags: { latest: [4_300_000] },
    entrypoint: [],
    cmd: ['stress', '--help'],
    ports: [],
    startMs: 10,
    memoryBytes: 1024 * 1024,
    env: () => ({ PATH: ALPINE_PATH }),
    files: () => ({ ...busyboxLayer(), ...binaries('/usr/local/bin', ['stress']) }),
  },
  'docker.io/library/perl': {
    tags: { latest: [327_000_000], '5.34.0': [334_000_000], '5.34': [334_000_000], '5.40': [327_000_000], '5': [327_000_000] },
    entrypoint: [],
    cmd: ['perl', '-de0'],
    ports: [],
    startMs: 20,
    memoryBytes: 5 * 1024 * 1024,
    env: () => ({ PATH: DEBIAN_PATH }),
    files: () => ({ ...debianLayer('Debian GNU/Linux 11 (bullseye)'), ...binaries('/usr/local/bin', ['perl']), ...binaries('/usr/bin', ['curl']) }),
  },
  'gcr.io/google-samples/kubernetes-bootcamp': bootcampRepo('1'),
  'docker.io/jocatalin/kubernetes-bootcamp': bootcampRepo('2'),
  'registry.k8s.io/nginx-slim': {
    tags: { '0.8': [51_000_000], '0.21': [43_700_000], '0.24': [44_100_000], '0.26': [44_300_000], '0.27': [44_400_000] },
    entrypoint: [],
    cmd: ['nginx', '-g', 'daemon off;'],
    ports: [80],
    startMs: 50,
    memoryBytes: 3 * 1024 * 1024,
    env: () => ({ PATH: DEBIAN_PATH }),
    files: () => ({
      ...debianLayer('Debian GNU/Linux 8 (jessie)'),
      ...binaries('/usr/sbin', ['nginx']),
      '/usr/share/nginx/html/index.html': NGINX_INDEX,
    }),
  },
  'registry.k8s.io/hpa-example': {
    tags: { latest: [184_000_000] },
    entrypoint: [],
    cmd: ['apache2-foreground'],
    ports: [80],
    startMs: 200,
    memoryBytes: 10 * 1024 * 1024,
    env: () => ({ PATH: DEBIAN_PATH }),
    files: () => ({ ...debianLayer('Debian GNU/Linux 8 (jessie)'), ...binaries('/usr/local/bin', ['apache2-foreground']), '/var/www/html/index.php': '<?php\n  $x = 0.0001;\n  for ($i = 0; $i <= 1000000; $i++) {\n    $x += sqrt($x);\n  }\n  echo "OK!";\n?>\n' }),
  },
  'registry.k8s.io/busybox': busyboxRepo({ latest: [676_000], '1.27.2': [676_000], '1.24': [676_000] }),
  'registry.k8s.io/liveness': {
    tags: { latest: [2_900_000] },
    entrypoint: [],
    cmd: ['/server'],
    ports: [8080],
    startMs: 20,
    memoryBytes: 4 * 1024 * 1024,
    env: () => ({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }),
    files: () => ({ '/server': '\x7fELF server\n' }),
  },
  'registry.k8s.io/e2e-test-images/agnhost': {
    tags: Object.fromEntries(['2.39', '2.40', '2.43', '2.45', '2.47', '2.48', '2.50', '2.52', '2.53', '2.54', '2.55', '2.56'].map((t) => [t, [51_000_000 + Number(t.slice(2)) * 100_000]])),
    entrypoint: ['/agnhost'],
    cmd: ['pause'],
    ports: [],
    startMs: 100,
    memoryBytes: 10 * 1024 * 1024,
    env: () => ({ PATH: ALPINE_PATH }),
    files: () => ({ ...busyboxLayer(), '/agnhost': '\x7fELF agnhost\n' }),
  },
  'registry.k8s.io/pause': {
    tags: { latest: [320_000], '3.9': [322_000], '3.10': [320_000], '3.10.1': [320_000] },
    entrypoint: ['/pause'],
    cmd: [],
    ports: [],
    startMs: 5,
    memoryBytes: 250 * 1024,
    env: () => ({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }),
    files: () => ({ '/pause': '\x7fELF pause\n' }),
  },
};

/** BusyBox: one static binary of applets, `sh` by default; Docker Hub's and the older copy on registry.k8s.io. */
function busyboxRepo(tags: Repo['tags']): Repo {
  return {
    tags,
    entrypoint: [],
    cmd: ['sh'],
    ports: [],
    startMs: 10,
    memoryBytes: 300 * 1024,
    env: () => ({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }),
    files: () => busyboxLayer(),
  };
}

/** The "Learn Kubernetes Basics" app: v1 on gcr.io/google-samples, v2 (rolling update) on jocatalin. */
function bootcampRepo(defaultVersion: string): Repo {
  return {
    tags: defaultVersion === '1' ? { v1: [79_600_000, '1'] } : { v1: [79_600_000, '1'], v2: [79_600_000, '2'] },
    entrypoint: [],
    cmd: ['/bin/sh', '-c', 'node server.js'],
    ports: [8080],
    startMs: 300,
    memoryBytes: 12 * 1024 * 1024,
    env: (v) => ({ PATH: DEBIAN_PATH, BOOTCAMP_VERSION: v }),
    files: () => ({ ...debianLayer('Debian GNU/Linux 8 (jessie)'), ...binaries('/usr/local/bin', ['node']), '/server.js': '// simulated\n' }),
  };
}

/** Split a reference into canonical repository, tag and digest (`nginx` → docker.io/library/nginx, latest). */
export function parseImageRef(ref: string): { repository: string; tag: string; digest?: string } | undefined {
  const trimmed = ref.trim();
  if (!trimmed || /\s|[A-Z]/.test(trimmed.split(/[:@]/)[0])) return undefined;
  let rest = trimmed;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  }
  let tag = 'latest';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  }
  const first = rest.split('/')[0];
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasRegistry ? rest : `docker.io/${rest.includes('/') ? rest : `library/${rest}`}`;
  if (repository.startsWith('index.docker.io/')) repository = 'docker.io/' + repository.slice('index.docker.io/'.length);
  if (/^docker\.io\/[^/]+$/.test(repository)) repository = repository.replace('docker.io/', 'docker.io/library/');
  // k8s.gcr.io was frozen and redirected to registry.k8s.io.
  repository = repository.replace(/^k8s\.gcr\.io\//, 'registry.k8s.io/');
  return { repository, tag, digest };
}

/**
 * The image a reference names (a shared, frozen value: copy before changing), or undefined when that repository or tag does not exist (the kubelet
 * then reports ErrImagePull). A digest reference resolves to the repository's `latest` when known:
 * we do not model per-digest content.
 */
export function lookupImage(ref: string): ImageInfo | undefined {
  const hit = cache.get(ref);
  if (hit) return hit;
  const info = buildImageInfo(ref);
  // Why a cache of frozen values: the kubelet looks images up on every container start; sharing one
  // object (and the layer's `files`) keeps a 10,000-pod cluster from building 10,000 copies.
  if (info) {
    Object.freeze(info.ports);
    Object.freeze(info.entrypoint);
    Object.freeze(info.cmd);
    Object.freeze(info.env);
    cache.set(ref, Object.freeze(info));
  }
  return info;
}

const cache = new Map<string, ImageInfo>();

function buildImageInfo(ref: string): ImageInfo | undefined {
  const parsed = parseImageRef(ref);
  if (!parsed) return undefined;
  const repo = REPOS[parsed.repository];
  if (!repo) return undefined;
  const tag = parsed.digest ? (repo.tags[parsed.tag] ? parsed.tag : 'latest') : parsed.tag;
  const entry = repo.tags[tag] ?? (parsed.digest ? Object.values(repo.tags)[0] : undefined);
  if (!entry) return undefined;
  const [sizeBytes, version = tag] = entry;
  const legacyNginx = parsed.repository === 'docker.io/library/nginx' && version === '1.14.2';
  return {
    name: `${parsed.repository}:${tag}`,
    repository: parsed.repository,
    tag,
    sizeBytes,
    pullMs: PULL_BASE_MS + Math.round((sizeBytes / PULL_BYTES_PER_S) * 1000),
    ports: [...repo.ports],
    startMs: repo.startMs,
    memoryBytes: repo.memoryBytes,
    // nginx 1.14.2 predates the image's /docker-entrypoint.sh.
    entrypoint: legacyNginx ? [] : [...repo.entrypoint],
    cmd: [...repo.cmd],
    env: repo.env(version),
    files: Object.freeze(repo.files(version, tag)),
  };
}

/** Docker semantics: `command` replaces ENTRYPOINT (and drops CMD); `args` replaces CMD. */
export function containerArgv(info: Pick<ImageInfo, 'entrypoint' | 'cmd'>, container: { command?: string[]; args?: string[] }): string[] {
  if (container.command && container.command.length) return [...container.command, ...(container.args ?? [])];
  return [...info.entrypoint, ...(container.args ?? info.cmd)];
}

// ---- the command table every process uses ----

const SHELLS: Record<string, Program> = {
  sh: shellProgram('sh', () => TABLE),
  ash: shellProgram('sh', () => TABLE),
  dash: shellProgram('sh', () => TABLE),
  bash: shellProgram('bash', () => TABLE),
};

const TABLE: CommandTable = {
  builtin: (name) => (Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined),
  program: (name) => SHELLS[name] ?? SERVERS[name] ?? (Object.prototype.hasOwnProperty.call(UTILITIES, name) ? UTILITIES[name] : undefined),
  available: (host, name, env) => {
    const fs = host.fs;
    // Why cached per file system and PATH: the lookup runs for every command of every loop iteration;
    // deleting /bin/sleep at run time is not something the simulation needs to honour.
    const key = `${env.PATH ?? ''}\0${name}`;
    let known = availability.get(fs);
    if (!known) availability.set(fs, (known = new Map()));
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const found = lookupBinary(fs, name, env);
    known.set(key, found);
    return found;
  },
};

const availability = new WeakMap<FileSystem, Map<string, boolean>>();

function lookupBinary(fs: FileSystem, name: string, env: Record<string, string>): boolean {
  // A file system without an image layer (tests, hand-made hosts): every program is available.
  if (!fs.isDir('/bin') && !fs.exists('/server') && !fs.exists('/pause') && !fs.exists('/agnhost')) return true;
  if (name.includes('/')) return fs.exists(name) && !fs.isDir(name);
  const path = env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return path.split(':').some((d) => d && fs.exists(`${d}/${name}`) && !fs.isDir(`${d}/${name}`));
}

/** The runtime's message when a container's command does not exist in its image. */
export function execNotFound(name: string): string {
  return `exec: "${name}": executable file not found in $PATH`;
}

/**
 * Whether the container's command can start in this image (undefined = yes). Otherwise the error the
 * runtime gives, for the kubelet's `StartError` / `RunContainerError` (exit code 128).
 */
export function checkStart(container: { image: string; command?: string[]; args?: string[] }, host: Pick<ProcessHost, 'fs' | 'env'>): string | undefined {
  return startProblem(lookupImage(container.image), container, host);
}

function startProblem(info: ImageInfo | undefined, container: { image: string; command?: string[]; args?: string[] }, host: Pick<ProcessHost, 'fs' | 'env'>): string | undefined {
  if (!info) return `image "${container.image}" not found`;
  const argv = containerArgv(info, container);
  if (!argv.length) return 'no command specified';
  const name = argv[0];
  const known = !!TABLE.program(baseName(name)) || !!TABLE.builtin(name);
  if (!known || !TABLE.available(host as ProcessHost, name, { PATH: host.env.PATH ?? info.env.PATH ?? '' })) {
    if (name.includes('/')) return `exec: "${name}": stat ${name}: no such file or directory`;
    return execNotFound(name);
  }
  return undefined;
}

/** PID 1: a launcher that execs argv in place (no shell of its own), like the container runtime. */
function* launch(sh: Shell, argv: string[], io: { stdin: Stdin; stdout: LineSink | StringSink; stderr: LineSink | StringSink }): Run {
  try {
    return yield* sh.invoke(argv, io, [], true);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}

/**
 * Start a container's main process (PID 1). It begins at the current virtual instant (deferred by
 * `host.after(0)`, so `host.exit` never fires inside this call). Its stdout/stderr go to the host line
 * by line; it ends by calling `host.exit(code)` once — except on SIGKILL, where the caller reports 137.
 * A command the image does not ship writes the runtime's error to stderr and exits 128
 * (see {@link checkStart} to report it as StartError up front). `stdin: true` (as `kubectl run -i`
 * sets) keeps standard input open, so a bare `sh` waits instead of exiting at once.
 */
export function startProcess(container: { image: string; command?: string[]; args?: string[]; stdin?: boolean }, host: ProcessHost): Process {
  const rt = new ProcessRuntime(host, false);
  const stdout = new LineSink((l) => host.stdout(l));
  const stderr = new LineSink((l) => host.stderr(l));
  rt.onExit = (code) => {
    stdout.flush();
    stderr.flush();
    host.exit(code);
  };
  const info = lookupImage(container.image);
  const problem = startProblem(info, container, host);
  host.after(0, () => {
    if (rt.dead) return;
    if (!info || problem) {
      stderr.write(`${problem ?? 'image not found'}\n`);
      rt.exit(128);
      return;
    }
    host.setMemory(info.memoryBytes);
    const sh = new Shell(rt, host, TABLE, 'sh', host.env, 1, info.env);
    sh.pid1 = true;
    rt.commandLine = containerArgv(info, container).join(' ');
    pid1ByFs.set(host.fs, rt);
    rt.start(launch(sh, containerArgv(info, container), { stdin: new Stdin('', !!container.stdin), stdout, stderr }));
  });
  return {
    signal: (sig) => {
      if (sig === 'SIGKILL') {
        stdout.flush();
        stderr.flush();
      }
      rt.signal(sig);
    },
  };
}

/** {@link runToCompletion}'s result, with how long the command "took" in virtual time. */
export interface ExecOutcome extends ExecResult {
  /** Virtual ms the command's sleeps and timeouts add up to (the clock does NOT move; compare with a probe timeout). */
  elapsedMs: number;
  /** The command would never finish (`sleep infinity`, `tail -f`, an endless loop): it was cut off, exit 124. */
  timedOut: boolean;
}

/**
 * Run a command inside a container synchronously, for `kubectl exec` and exec probes. Everything
 * happens inside this call: a `sleep` does not advance the cluster's virtual clock (it only adds to
 * `elapsedMs`), and a command that would never end is cut off with exit 124 and `timedOut`.
 * A command the image does not ship gives the runtime's "executable file not found" error, exit 126.
 */
export function runToCompletion(argv: string[], host: ProcessHost): ExecOutcome {
  const out = new StringSink();
  const err = new StringSink();
  if (!argv.length) return { stdout: '', stderr: 'no command specified\n', exitCode: 126, elapsedMs: 0, timedOut: false };
  const name = argv[0];
  const known = !!TABLE.program(baseName(name)) || !!TABLE.builtin(name);
  if (!known || !TABLE.available(host, name, { ...host.env })) {
    return {
      stdout: '',
      stderr: `OCI runtime exec failed: exec failed: unable to start container process: ${execNotFound(name)}: unknown\n`,
      exitCode: 126,
      elapsedMs: 0,
      timedOut: false,
    };
  }
  const captured: ProcessHost = {
    now: () => host.now(),
    date: () => host.date(),
    stdout: (line) => out.write(line + '\n'),
    stderr: (line) => err.write(line + '\n'),
    get fs() {
      return host.fs;
    },
    env: host.env,
    hostname: host.hostname,
    after: (ms, fn) => host.after(ms, fn),
    listen: (port, handler) => host.listen(port, handler),
    connect: (h, port, path, meta) => host.connect(h, port, path, meta),
    resolve: host.resolve ? (name) => host.resolve!(name) : undefined,
    // Why ignored: the host's setMemory is the main process's figure; an exec'd helper would overwrite it.
    setMemory: () => {},
    exit: () => {},
  };
  const rt = new ProcessRuntime(captured, true, 100);
  let code = 0;
  rt.onExit = (c) => (code = c);
  const sh = new Shell(rt, captured, TABLE, 'sh', { ...host.env }, 100);
  rt.start(launch(sh, argv, { stdin: new Stdin(''), stdout: out, stderr: err }));
  if (!rt.dead) {
    // Only background jobs are left (the main program ended): the exec session ends with it.
    code = rt.main?.result ?? 0;
  }
  return { stdout: out.text, stderr: err.text, exitCode: code, elapsedMs: rt.elapsedMs, timedOut: rt.timedOut };
}
