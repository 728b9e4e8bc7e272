/**
 * The long-running programs of the image catalogue: nginx, httpd, redis, agnhost, the liveness
 * server and pause. Each listens on its real port, logs like the real thing, and reacts to the
 * kubelet's stop signal as the real image does. Versions come from the image's environment
 * (`NGINX_VERSION`, `HTTPD_VERSION`, `REDIS_VERSION`), as the official images set them.
 */
import { Clock } from '../../clock';
import type { HttpResponse, RequestMeta, Signal } from '../process';
import { type CommandContext, type Program } from './interpreter';
import { claimPid1, formatDate, reason } from './commands';
import { pid1ByFs, type Run } from './runtime';

/** Block until the process is killed or a handler ends it. */
function* forever(): Run {
  for (;;) yield { t: 'block' };
}

/** On a stop signal, log and exit with `code` (the process is PID 1 with a handler). */
function exitOn(c: CommandContext, lines: (sig: Signal) => string[], code = 0, stream: 'stdout' | 'stderr' = 'stderr'): void {
  claimPid1(c, (sig) => {
    for (const l of lines(sig)) c.io[stream].write(l + '\n');
    c.rt.exit(code);
  });
}

const httpDate = (ms: number) => formatDate('%d/%b/%Y:%H:%M:%S +0000', ms);
const nginxTime = (ms: number) => formatDate('%Y/%m/%d %H:%M:%S', ms);

// ---- nginx ----

const NGINX_ROOT = '/usr/share/nginx/html';

function nginxPage(status: number, version: string): string {
  const title = `${status} ${reason(status)}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx${version ? '/' + version : ''}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Serve a static file tree like nginx/httpd: index.html for directories, 403 without one, 404 otherwise. */
function serveFile(c: CommandContext, root: string, path: string): { status: number; body?: string; file: string } {
  const clean = path.split('?')[0] || '/';
  let file = `${root}${clean}`.replace(/\/+/g, '/');
  if (c.host.fs.isDir(file)) {
    if (!clean.endsWith('/')) return { status: 301, file };
    file = `${file.replace(/\/$/, '')}/index.html`;
    const body = c.host.fs.read(file);
    return body === undefined ? { status: 403, file: file.replace(/index\.html$/, '') } : { status: 200, body, file };
  }
  const body = c.host.fs.read(file);
  return body === undefined ? { status: 404, file } : { status: 200, body, file };
}

/** `nginx -g 'daemon off;'`: the official image's server. */
const nginx: Program = function* (c) {
  // nginx-slim (StatefulSet tutorial) sets no NGINX_VERSION: it logs like the old images.
  const version = c.env.NGINX_VERSION ?? '';
  const args = c.argv.slice(1);
  if (args.includes('-v') || args.includes('-V')) {
    c.io.stderr.write(`nginx version: nginx${version ? '/' + version : ''}\n`);
    return 0;
  }
  if (args.includes('-t') || args.includes('-T')) {
    c.io.stderr.write('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    return 0;
  }
  if (args.includes('-s')) {
    // `nginx -s quit|stop` (e.g. a preStop hook) signals the master process, PID 1 of the container.
    const main = pid1ByFs.get(c.host.fs);
    c.io.stderr.write(`${nginxTime(c.host.now())} [notice] ${c.pid}#${c.pid}: signal process started\n`);
    if (main && main !== c.rt && !main.dead && /^(quit|stop)$/.test(args[args.indexOf('-s') + 1] ?? '')) main.signal('SIGTERM');
    return 0;
  }
  const modern = !!version && !version.startsWith('1.14');
  const note = (msg: string) => {
    if (modern) c.io.stderr.write(`${nginxTime(c.host.now())} [notice] 1#1: ${msg}\n`);
  };
  let reqs = 0;
  const handler = (path: string, meta?: RequestMeta): HttpResponse => {
    reqs++;
    const r = serveFile(c, NGINX_ROOT, path);
    const client = meta?.clientIp ?? '127.0.0.1';
    const body = r.body ?? nginxPage(r.status, version);
    if (r.status === 404 || r.status === 403) {
      const why = r.status === 404 ? `open() "${r.file}" failed (2: No such file or directory)` : `directory index of "${r.file}" is forbidden`;
      c.io.stderr.write(`${nginxTime(c.host.now())} [error] 29#29: *${reqs} ${why}, client: ${client}, server: localhost, request: "${meta?.method ?? 'GET'} ${path} HTTP/1.1", host: "${c.host.hostname}"\n`);
    }
    c.io.stdout.write(`${client} - - [${httpDate(c.host.now())}] "${meta?.method ?? 'GET'} ${path} HTTP/1.1" ${r.status} ${body.length} "-" "${meta?.userAgent ?? '-'}"${modern ? ' "-"' : ''}\n`);
    return { status: r.status, body };
  };
  note('using the "epoll" event method');
  // ngx_open_listening_sockets: 5 tries, 500 ms apart, each logging every address it could not bind
  // (the modern image's entrypoint adds `listen [::]:80`). The version/OS notices come only after the
  // cycle is up, so a process that cannot bind never prints them.
  const emerg = (msg: string) => {
    if (modern) c.io.stderr.write(`${nginxTime(c.host.now())} [emerg] 1#1: ${msg}\n`);
    c.io.stderr.write(`nginx: [emerg] ${msg}\n`);
  };
  let bound = false;
  for (let tries = 5; tries > 0; tries--) {
    if ((bound = c.host.listen(80, handler))) break;
    for (const addr of modern ? ['0.0.0.0:80', '[::]:80'] : ['0.0.0.0:80']) emerg(`bind() to ${addr} failed (98: Address already in use)`);
    note('try again to bind() after 500ms');
    yield { t: 'sleep', ms: 500 };
  }
  if (!bound) {
    emerg('still could not bind()');
    return 1;
  }
  note(`nginx/${version}`);
  note('built by gcc 12.2.0 (Debian 12.2.0-14)');
  note('OS: Linux 6.8.0');
  note('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  note('start worker processes');
  note('start worker process 29');
  note('start worker process 30');
  // The image sets STOPSIGNAL SIGQUIT and containerd honours it, so the kubelet's stop becomes a
  // graceful shutdown (nginx 1.14.2's image predates that and gets SIGTERM: fast shutdown).
  exitOn(c, () => {
    if (!modern) return [];
    const t = nginxTime(c.host.now());
    return [`${t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`, `${t} [notice] 29#29: gracefully shutting down`, `${t} [notice] 29#29: exiting`, `${t} [notice] 29#29: exit`, `${t} [notice] 1#1: signal 17 (SIGCHLD) received from 29`, `${t} [notice] 1#1: worker process 29 exited with code 0`, `${t} [notice] 1#1: exit`];
  });
  return yield* forever();
};

/** The official nginx image's entrypoint: announces its configuration scripts, then execs its arguments. */
function dockerEntrypoint(): Program {
  return function* (c) {
    const args = c.argv.slice(1);
    if (!args.length) return 0;
    if ((args[0] === 'nginx' || args[0] === 'nginx-debug')) {
      const e = '/docker-entrypoint.sh';
      const lines = [
        `${e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
        `${e}: Looking for shell scripts in /docker-entrypoint.d/`,
        `${e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
        `${e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
        `${e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
        `${e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
        `${e}: Configuration complete; ready for start up`,
      ];
      for (const l of lines) c.io.stdout.write(l + '\n');
    }
    if (!c.shell) return 0;
    return yield* c.shell.invoke(args, c.io, [], true);
  };
}

// ---- httpd ----

const httpd: Program = function* (c) {
  const version = c.env.HTTPD_VERSION ?? '2.4.65';
  const stamp = () => formatDate('%a %b %d %H:%M:%S.000000 %Y', c.host.now());
  const handler = (path: string, meta?: RequestMeta): HttpResponse => {
    const r = serveFile(c, '/usr/local/apache2/htdocs', path);
    const title = `${r.status} ${reason(r.status)}`;
    const body = r.body ?? `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${title}</title>\n</head><body>\n<h1>${reason(r.status)}</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`;
    c.io.stdout.write(`${meta?.clientIp ?? '127.0.0.1'} - - [${httpDate(c.host.now())}] "${meta?.method ?? 'GET'} ${path} HTTP/1.1" ${r.status} ${body.length}\n`);
    return { status: r.status, body };
  };
  if (!c.host.listen(80, handler)) {
    c.io.stderr.write('(98)Address already in use: AH00072: make_sock: could not bind to address [::]:80\n(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80\nno listening sockets available, shutting down\nAH00015: Unable to open logs\n');
    return 1;
  }
  c.io.stderr.write(`[${stamp()}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${version} (Unix) configured -- resuming normal operations\n`);
  c.io.stderr.write(`[${stamp()}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'\n`);
  // The httpd image's STOPSIGNAL is SIGWINCH: a graceful stop.
  exitOn(c, () => [`[${stamp()}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully`]);
  return yield* forever();
};

// ---- redis ----

const redisServer: Program = function* (c) {
  const version = c.env.REDIS_VERSION ?? '8.2.1';
  const portArg = c.argv.indexOf('--port');
  const port = portArg >= 0 ? Number(c.argv[portArg + 1]) : 6379;
  const t = (role: string, mark: string, msg: string) => `1:${role} ${formatDate('%d %b %Y %H:%M:%S', c.host.now())}.000 ${mark} ${msg}\n`;
  const log = (s: string) => c.io.stdout.write(s);
  log(t('C', '*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
  log(t('C', '*', `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`));
  log(t('C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf'));
  log(t('M', '*', 'monotonic clock: POSIX clock_gettime'));
  const handler = (): HttpResponse => {
    // Redis drops HTTP requests as a cross-protocol attack; plain TCP checks just connect.
    log(t('M', '#', 'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.'));
    return { status: 0, body: '' };
  };
  if (!c.host.listen(port, handler)) {
    log(t('M', '#', `Warning: Could not create server TCP listening socket *:${port}: bind: Address already in use`));
    log(t('M', '#', `Failed listening on port ${port} (tcp), aborting.`));
    return 1;
  }
  log(t('M', '*', `Running mode=standalone, port=${port}.`));
  log(t('M', '*', 'Server initialized'));
  log(t('M', '*', 'Ready to accept connections tcp'));
  exitOn(
    c,
    () => [
      `1:signal-handler (${Math.floor((Clock.EPOCH_MS + c.host.now()) / 1000)}) Received SIGTERM scheduling shutdown...`,
      t('M', '*', 'User requested shutdown...').trimEnd(),
      t('M', '*', 'Saving the final RDB snapshot before exiting.').trimEnd(),
      t('M', '*', 'DB saved on disk').trimEnd(),
      t('M', '#', 'Redis is now ready to exit, bye bye...').trimEnd(),
    ],
    0,
    'stdout',
  );
  return yield* forever();
};

// ---- agnhost and friends (Go programs) ----

const goLog = (c: CommandContext, msg: string) => c.io.stderr.write(`${formatDate('%Y/%m/%d %H:%M:%S', c.host.now())} ${msg}\n`);

/**
 * A Go program without its own SIGTERM handler, running as PID 1: the runtime re-raises the signal,
 * the kernel ignores it for a namespace's init, and Go falls back to exit(2).
 */
function goDefaultSignals(c: CommandContext): void {
  exitOn(c, () => [], 2);
}

function flag(args: string[], name: string, def: string): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === `--${name}` || a === `-${name}`) return args[i + 1] ?? def;
    if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) return a.slice(a.indexOf('=') + 1);
  }
  return def;
}

function goBindFail(c: CommandContext, port: number): number {
  goLog(c, `listen tcp :${port}: bind: address already in use`);
  return 1;
}

/** `agnhost liveness` and the old `registry.k8s.io/liveness` `/server`: /healthz is 200 for 10 s, then 500. */
const liveness: Program = function* (c) {
  const started = c.host.now();
  const handler = (path: string): HttpResponse => {
    const elapsed = (c.host.now() - started) / 1000;
    if (path.startsWith('/healthz')) {
      if (elapsed > 10) return { status: 500, body: `error: ${elapsed}` };
      return { status: 200, body: 'ok' };
    }
    if (path.startsWith('/started')) return { status: 200, body: `${elapsed}` };
    return { status: 404, body: '404 page not found\n' };
  };
  if (!c.host.listen(8080, handler)) return goBindFail(c, 8080);
  goDefaultSignals(c);
  return yield* forever();
};

const agnhost: Program = function* (c) {
  const [sub = 'pause', ...args] = c.argv.slice(1);
  switch (sub) {
    case 'pause':
      c.io.stdout.write('Paused\n');
      exitOn(c, () => ['Shutting down after receiving signal: terminated.'], 0, 'stdout');
      return yield* forever();
    case 'liveness':
      return yield* liveness(c);
    case 'netexec': {
      const port = Number(flag(args, 'http-port', '8080'));
      const udp = flag(args, 'udp-port', '8081');
      const handler = (path: string, meta?: RequestMeta): HttpResponse => {
        goLog(c, `GET ${path}`);
        const [route, query = ''] = path.split('?');
        const q = new Map(query.split('&').filter(Boolean).map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]));
        switch (route) {
          case '/':
            return { status: 200, body: `NOW: ${formatDate('%Y-%m-%d %H:%M:%S.%N +0000 UTC', c.host.now())}` };
          case '/hostname':
            return { status: 200, body: c.host.hostname };
          case '/echo':
            return { status: 200, body: q.get('msg') ?? '' };
          case '/clientip':
            return { status: 200, body: `${meta?.clientIp ?? '127.0.0.1'}:40000` };
          case '/healthz':
          case '/readyz':
            return { status: 200, body: 'ok' };
          case '/exit': {
            const code = Number(q.get('code') ?? 0);
            c.host.after(0, () => c.rt.exit(code));
            return { status: 200, body: '' };
          }
        }
        return { status: 404, body: '404 page not found\n' };
      };
      if (!c.host.listen(port, handler)) return goBindFail(c, port);
      goLog(c, `Started HTTP server on port ${port}`);
      if (udp !== '-1') goLog(c, `Started UDP server on port  ${udp}`);
      goDefaultSignals(c);
      return yield* forever();
    }
    case 'serve-hostname': {
      const port = Number(flag(args, 'port', '9376'));
      const handler = (_path: string, meta?: RequestMeta): HttpResponse => {
        goLog(c, `HTTP request from ${meta?.clientIp ?? '127.0.0.1'}:40000`);
        return { status: 200, body: c.host.hostname };
      };
      if (!c.host.listen(port, handler)) return goBindFail(c, port);
      goLog(c, `Serving on port ${port}.`);
      // serve-hostname traps SIGTERM, then waits 60 s for the pod to be deleted (it usually is SIGKILLed first).
      let stopping = false;
      claimPid1(c, () => {
        if (stopping) return;
        stopping = true;
        goLog(c, 'Shutting down after receiving signal: terminated.');
        goLog(c, 'Awaiting pod deletion.');
        c.host.after(60_000, () => c.rt.exit(0));
      });
      return yield* forever();
    }
    case 'test-webserver': {
      const port = Number(flag(args, 'port', '80'));
      if (!c.host.listen(port, () => ({ status: 200, body: 'It works!' }))) return goBindFail(c, port);
      goDefaultSignals(c);
      return yield* forever();
    }
  }
  c.io.stderr.write(`Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
  return 1;
};

/** registry.k8s.io/pause: sleeps until SIGINT/SIGTERM, then exits 0. */
const pause: Program = function* (c) {
  exitOn(c, () => ['Shutting down, got signal: Terminated']);
  return yield* forever();
};

/** curlimages/curl's entrypoint: `curl` unless the arguments are a command. */
const curlEntrypoint: Program = function* (c) {
  const args = c.argv.slice(1);
  if (!c.shell) return 0;
  const argv = !args.length || args[0].startsWith('-') ? ['curl', ...args] : args;
  return yield* c.shell.invoke(argv, c.io, [], true);
};

// ---- perl (the Job example: `perl -Mbignum=bpi -wle 'print bpi(2000)'`) ----

/** π to `n` significant digits (Machin's formula on BigInts), as Math::BigFloat's bpi(n) prints it. */
export function piDigits(n: number): string {
  const scale = 10n ** BigInt(n + 10);
  const arctanInv = (x: bigint) => {
    let sum = 0n;
    let term = scale / x;
    const x2 = x * x;
    for (let k = 1n, sign = 1n; term !== 0n; k += 2n, sign = -sign) {
      sum += (sign * term) / k;
      term /= x2;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInv(5n) - arctanInv(239n));
  // Round to n significant digits.
  const rounded = (pi / 10n ** 9n + 5n) / 10n;
  const s = rounded.toString();
  return `${s[0]}.${s.slice(1, n)}`;
}

const perl: Program = function* (c) {
  const args = c.argv.slice(1);
  if (args.includes('-v')) {
    c.io.stdout.write('\nThis is perl 5, version 34, subversion 0 (v5.34.0) built for x86_64-linux-gnu\n');
    return 0;
  }
  const code = args[args.findIndex((a) => /^-\w*e$/.test(a)) + 1] ?? '';
  const newline = args.some((a) => /^-\w*l/.test(a));
  const bpi = /print\s+bpi\((\d+)\)/.exec(code);
  if (bpi) {
    const n = Math.min(Number(bpi[1]), 20_000);
    // Computing takes real time: about 1 ms of virtual time per digit.
    yield { t: 'sleep', ms: n };
    c.io.stdout.write(piDigits(n) + (newline ? '\n' : ''));
    return 0;
  }
  const str = /^\s*print\s+(["'])([\s\S]*)\1\s*;?\s*$/.exec(code);
  if (str) {
    c.io.stdout.write((str[1] === '"' ? str[2].replace(/\\n/g, '\n').replace(/\\t/g, '\t') : str[2]) + (newline ? '\n' : ''));
    return 0;
  }
  c.io.stderr.write('perl (simulated): only `print "…"` and `print bpi(N)` are supported\n');
  return 255;
};

// ---- the kubernetes-bootcamp app (the "Learn Kubernetes Basics" tutorial) ----

const bootcamp: Program = function* (c) {
  const version = c.env.BOOTCAMP_VERSION ?? '1';
  const started = c.host.now();
  const iso = (ms: number) => formatDate('%Y-%m-%dT%H:%M:%S.000Z', ms);
  let requests = 0;
  const handler = (): HttpResponse => {
    requests++;
    const uptime = ((c.host.now() - started) / 1000).toFixed(3).replace(/\.?0+$/, '');
    c.io.stdout.write(`Running On: ${c.host.hostname} | Total Requests: ${requests} | App Uptime: ${uptime} seconds | Log Time: ${iso(c.host.now())}\n`);
    return { status: 200, body: `Hello Kubernetes bootcamp! | Running on: ${c.host.hostname} | v=${version}\n` };
  };
  if (!c.host.listen(8080, handler)) {
    c.io.stderr.write('Error: listen EADDRINUSE: address already in use :::8080\n');
    return 1;
  }
  c.io.stdout.write(`Kubernetes Bootcamp App Started At: ${iso(started)} | Running On:  ${c.host.hostname} \n\n`);
  // Node.js as PID 1 installs no SIGTERM handler: the signal is ignored and the pod waits out its
  // grace period — a classic reason for `--init` or a signal handler.
  claimPid1(c);
  return yield* forever();
};

// ---- php-apache (the HorizontalPodAutoscaler walkthrough's registry.k8s.io/hpa-example) ----

const phpApache: Program = function* (c) {
  const handler = (path: string, meta?: RequestMeta): HttpResponse => {
    c.io.stdout.write(`${meta?.clientIp ?? '127.0.0.1'} - - [${httpDate(c.host.now())}] "${meta?.method ?? 'GET'} ${path} HTTP/1.1" 200 3 "-" "${meta?.userAgent ?? '-'}"\n`);
    return { status: 200, body: 'OK!' };
  };
  if (!c.host.listen(80, handler)) {
    c.io.stderr.write('(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80\nno listening sockets available, shutting down\n');
    return 1;
  }
  const stamp = () => formatDate('%a %b %d %H:%M:%S.000000 %Y', c.host.now());
  c.io.stderr.write(`[${stamp()}] [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.14 configured -- resuming normal operations\n`);
  exitOn(c, () => [`[${stamp()}] [mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down`]);
  return yield* forever();
};

/** Programs the catalogue's images ship, by basename. */
export const SERVERS: Record<string, Program> = {
  nginx,
  'nginx-debug': nginx,
  'docker-entrypoint.sh': dockerEntrypoint(),
  httpd,
  'httpd-foreground': httpd,
  'redis-server': redisServer,
  agnhost,
  server: liveness,
  pause,
  'entrypoint.sh': curlEntrypoint,
  perl,
  node: function* (c) {
    if (c.argv[1]?.endsWith('server.js') && c.env.BOOTCAMP_VERSION) return yield* bootcamp(c);
    if (c.argv.includes('-v') || c.argv.includes('--version')) {
      c.io.stdout.write('v6.3.1\n');
      return 0;
    }
    c.io.stderr.write('node (simulated): only the kubernetes-bootcamp server.js is available\n');
    return 1;
  },
  'apache2-foreground': phpApache,
};
