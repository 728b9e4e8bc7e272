import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, mountedFileSystem } from './fs';
import { checkStart, containerArgv, lookupImage, parseImageRef, runToCompletion, startProcess } from './images';
import { FakeHost } from './shell/testing/fakeHost';
import { Clock } from '../clock';

/** A host whose file system is the image's own layer, as the kubelet builds it. */
function hostFor(image: string, opts: { mounts?: { path: string; fs: MemoryFileSystem }[]; clock?: Clock; ports?: FakeHost['ports'] } = {}) {
  const info = lookupImage(image)!;
  const root = new MemoryFileSystem(info.files);
  const fs = opts.mounts ? mountedFileSystem(root, opts.mounts) : root;
  return new FakeHost(opts.clock, fs, {}, 'web-1', undefined, opts.ports);
}

describe('lookupImage', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:latest', 'docker.io/library/nginx:latest'],
    ['docker.io/library/nginx:latest', 'docker.io/library/nginx:latest'],
    ['library/nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['docker.io/nginx:1.14.2', 'docker.io/library/nginx:1.14.2'],
    ['busybox:1.28', 'docker.io/library/busybox:1.28'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['curlimages/curl', 'docker.io/curlimages/curl:latest'],
    ['registry.k8s.io/busybox', 'registry.k8s.io/busybox:latest'],
    ['k8s.gcr.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', 'registry.k8s.io/e2e-test-images/agnhost:2.40'],
    ['registry.k8s.io/liveness', 'registry.k8s.io/liveness:latest'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'docker.io/library/nginx:latest'],
  ])('%s is %s', (ref, name) => expect(lookupImage(ref)?.name).toBe(name));

  it.each(['nginx:9.99', 'nginx:latest2', 'ngnix', 'docker.io/someone/app', 'registry.k8s.io/e2e-test-images/agnhost', 'NGINX', '', 'nginx:', 'nginx@sha256:short'])(
    '%s does not exist',
    (ref) => expect(lookupImage(ref)).toBeUndefined(),
  );

  it('pull time follows the size, deterministically', () => {
    const nginx = lookupImage('nginx:1.25')!;
    const busybox = lookupImage('busybox:1.36')!;
    expect(nginx.pullMs).toBe(300 + Math.round((nginx.sizeBytes / 25_000_000) * 1000));
    expect(nginx.pullMs).toBeGreaterThan(busybox.pullMs);
    expect(lookupImage('nginx:1.25')).toEqual(nginx);
    expect(nginx.ports).toEqual([80]);
    expect(lookupImage('redis')!.ports).toEqual([6379]);
  });

  it('parses references like Docker', () => {
    expect(parseImageRef('localhost:5000/app:v1')).toEqual({ repository: 'localhost:5000/app', tag: 'v1', digest: undefined });
  });
});

describe('containerArgv (Docker ENTRYPOINT/CMD semantics)', () => {
  const img = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
  it.each([
    [{}, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']],
    [{ args: ['nginx-debug'] }, ['/docker-entrypoint.sh', 'nginx-debug']],
    [{ command: ['sh', '-c'] }, ['sh', '-c']],
    [{ command: ['sh', '-c'], args: ['echo hi'] }, ['sh', '-c', 'echo hi']],
  ])('%j → %j', (c, argv) => expect(containerArgv(img, c)).toEqual(argv));
});

describe('nginx', () => {
  it('starts like the official image, serves the default page and logs access lines', () => {
    const host = hostFor('nginx:1.25');
    startProcess({ image: 'nginx:1.25' }, host);
    host.clock.advanceTo(0);
    expect(host.out[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(host.err).toContain('2026/01/01 00:00:00 [notice] 1#1: nginx/1.25.5');
    expect(host.memory).toBe(4 * 1024 * 1024);
    host.clock.advanceTo(5000);
    const r = host.connect('localhost', 80, '/', { clientIp: '10.244.0.1', userAgent: 'kube-probe/1.34' });
    expect(r.ok && r.response.status).toBe(200);
    expect(r.ok && r.response.body.length).toBe(615);
    expect(host.out.at(-1)).toBe('10.244.0.1 - - [01/Jan/2026:00:00:05 +0000] "GET / HTTP/1.1" 200 615 "-" "kube-probe/1.34" "-"');
    const missing = host.connect('localhost', 80, '/nope');
    expect(missing.ok && missing.response.status).toBe(404);
    expect(host.err.at(-1)).toContain('open() "/usr/share/nginx/html/nope" failed (2: No such file or directory)');
  });

  it('serves files from a volume mounted over its html root, and 403 when the volume is empty', () => {
    const html = new MemoryFileSystem();
    const host = hostFor('nginx', { mounts: [{ path: '/usr/share/nginx/html', fs: html }] });
    startProcess({ image: 'nginx' }, host);
    host.clock.advanceTo(0);
    const empty = host.connect('localhost', 80, '/');
    expect(empty.ok && empty.response.status).toBe(403);
    html.write('/index.html', 'from the volume\n');
    const r = host.connect('localhost', 80, '/');
    expect(r.ok && r.response).toEqual({ status: 200, body: 'from the volume\n' });
  });

  it('a second nginx in the same pod cannot bind :80, retries, then exits 1', () => {
    const a = hostFor('nginx');
    const b = hostFor('nginx', { clock: a.clock, ports: a.ports });
    startProcess({ image: 'nginx' }, a);
    startProcess({ image: 'nginx' }, b);
    a.clock.advanceTo(5000);
    expect(a.exits).toBe(0);
    expect(b.exitCode).toBe(1);
    // 5 tries, each followed by 500 ms of sleep (ngx_open_listening_sockets), then "still could not bind()".
    expect(b.exitAt).toBe(2500);
    expect(b.err.filter((l) => l === 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)')).toHaveLength(5);
    expect(b.err.filter((l) => l === 'nginx: [emerg] bind() to [::]:80 failed (98: Address already in use)')).toHaveLength(5);
    expect(b.err.filter((l) => l.endsWith('[notice] 1#1: try again to bind() after 500ms'))).toHaveLength(5);
    expect(b.err.some((l) => l.includes('nginx/1.29.1'))).toBe(false);
    expect(b.err.at(-1)).toBe('nginx: [emerg] still could not bind()');
  });

  it('exits 0 quickly on the stop signal', () => {
    const host = hostFor('nginx');
    const p = startProcess({ image: 'nginx' }, host);
    host.clock.advanceTo(100);
    p.signal('SIGTERM');
    expect(host.exitCode).toBe(0);
    expect(host.err.at(-1)).toBe('2026/01/01 00:00:00 [notice] 1#1: exit');
  });

  it('nginx:1.14.2 has no entrypoint script and logs nothing at start', () => {
    const host = hostFor('nginx:1.14.2');
    startProcess({ image: 'nginx:1.14.2' }, host);
    host.clock.advanceTo(0);
    expect(host.log).toEqual([]);
    expect(lookupImage('nginx:1.14.2')!.entrypoint).toEqual([]);
  });

  it('args replace CMD but keep the entrypoint: `args: [sh, -c, …]` runs a shell', () => {
    const host = hostFor('nginx');
    startProcess({ image: 'nginx', args: ['sh', '-c', 'echo from sh; exit 3'] }, host);
    host.clock.advanceTo(0);
    expect(host.out).toEqual(['from sh']);
    expect(host.exitCode).toBe(3);
  });
});

describe('other images', () => {
  it('httpd serves "It works!" and stops gracefully', () => {
    const host = hostFor('httpd');
    const p = startProcess({ image: 'httpd' }, host);
    host.clock.advanceTo(0);
    const r = host.connect('localhost', 80, '/');
    expect(r.ok && r.response.body).toBe('<html><body><h1>It works!</h1></body></html>\n');
    expect(host.out.at(-1)).toMatch(/^10\.244\.1\.1 - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/ HTTP\/1\.1" 200 45$/);
    p.signal('SIGTERM');
    expect(host.exitCode).toBe(0);
  });

  it('redis listens on 6379 and saves on SIGTERM', () => {
    const host = hostFor('redis');
    const p = startProcess({ image: 'redis' }, host);
    host.clock.advanceTo(0);
    expect(host.ports.has(6379)).toBe(true);
    expect(host.out.at(-1)).toBe('1:M 01 Jan 2026 00:00:00.000 * Ready to accept connections tcp');
    p.signal('SIGTERM');
    expect(host.out.at(-1)).toBe('1:M 01 Jan 2026 00:00:00.000 # Redis is now ready to exit, bye bye...');
    expect(host.exitCode).toBe(0);
  });

  it('registry.k8s.io/liveness /server answers /healthz 200 for 10s, then 500', () => {
    const host = hostFor('registry.k8s.io/liveness');
    startProcess({ image: 'registry.k8s.io/liveness', args: ['/server'] }, host);
    host.clock.advanceTo(10_000);
    const early = host.connect('localhost', 8080, '/healthz');
    expect(early.ok && early.response).toEqual({ status: 200, body: 'ok' });
    host.clock.advanceTo(11_000);
    const late = host.connect('localhost', 8080, '/healthz');
    expect(late.ok && late.response.status).toBe(500);
  });

  it.each([
    [['netexec', '--http-port=8080'], 8080, '/hostname', 'web-1'],
    [['liveness'], 8080, '/healthz', 'ok'],
    [['serve-hostname'], 9376, '/', 'web-1'],
    [['netexec', '--http-port', '8081'], 8081, '/echo?msg=hi%20there', 'hi there'],
  ])('agnhost %j serves :%d%s', (args, port, path, body) => {
    const image = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
    const host = hostFor(image);
    startProcess({ image, args }, host);
    host.clock.advanceTo(0);
    const r = host.connect('localhost', port, path);
    expect(r.ok && r.response.body).toBe(body);
  });

  it('agnhost pause (the default) and registry.k8s.io/pause exit 0 on SIGTERM; netexec (Go default) exits 2', () => {
    const image = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
    const h1 = hostFor(image);
    const p1 = startProcess({ image }, h1);
    h1.clock.advanceTo(1);
    p1.signal('SIGTERM');
    expect(h1.out).toEqual(['Paused', 'Shutting down after receiving signal: terminated.']);
    expect(h1.exitCode).toBe(0);
    const h2 = hostFor('registry.k8s.io/pause:3.10');
    const p2 = startProcess({ image: 'registry.k8s.io/pause:3.10' }, h2);
    h2.clock.advanceTo(0);
    p2.signal('SIGTERM');
    expect(h2.exitCode).toBe(0);
    const h3 = hostFor(image);
    const p3 = startProcess({ image, args: ['netexec'] }, h3);
    h3.clock.advanceTo(0);
    p3.signal('SIGTERM');
    expect(h3.exitCode).toBe(2);
  });

  it('agnhost rejects an unknown subcommand like cobra', () => {
    const image = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
    const host = hostFor(image);
    startProcess({ image, args: ['nope'] }, host);
    host.clock.advanceTo(0);
    expect(host.err).toEqual(['Error: unknown command "nope" for "agnhost"', "Run 'agnhost --help' for usage."]);
    expect(host.exitCode).toBe(1);
  });

  it('curlimages/curl with no URL exits 2 (a crash loop, as in real life)', () => {
    const host = hostFor('curlimages/curl');
    startProcess({ image: 'curlimages/curl' }, host);
    host.clock.advanceTo(0);
    expect(host.exitCode).toBe(2);
  });
});

describe('binaries the image ships', () => {
  it('debian has no curl or wget', () => {
    const r = runToCompletion(['sh', '-c', 'curl -s http://web; echo rc=$?'], hostFor('debian'));
    expect(r.stderr).toBe('sh: curl: not found\n');
    expect(r.stdout).toBe('rc=127\n');
    expect(runToCompletion(['bash', '-c', 'wget x'], hostFor('ubuntu')).stderr).toBe('bash: line 1: wget: command not found\n');
  });

  it('exec into an image without a shell fails like the runtime', () => {
    const r = runToCompletion(['sh'], hostFor('registry.k8s.io/pause:3.10'));
    expect(r.exitCode).toBe(126);
    expect(r.stderr).toContain('exec: "sh": executable file not found in $PATH');
  });

  it('checkStart reports a missing command as the runtime does', () => {
    const host = hostFor('busybox');
    expect(checkStart({ image: 'busybox', command: ['sleep', '10'] }, host)).toBeUndefined();
    expect(checkStart({ image: 'busybox', command: ['bash'] }, host)).toBe('exec: "bash": executable file not found in $PATH');
    expect(checkStart({ image: 'busybox', command: ['/app/run'] }, host)).toBe('exec: "/app/run": stat /app/run: no such file or directory');
    startProcess({ image: 'busybox', command: ['bash'] }, host);
    host.clock.advanceTo(0);
    expect(host.exitCode).toBe(128);
  });

  it('ls shows the image layer', () => {
    const r = runToCompletion(['ls', '/usr/share/nginx/html'], hostFor('nginx'));
    expect(r.stdout).toBe('50x.html\nindex.html\n');
  });
});

describe('tutorial images', () => {
  it('perl:5.34.0 computes π for the Job example and takes virtual time doing it', () => {
    const host = hostFor('perl:5.34.0');
    startProcess({ image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }, host);
    host.clock.advanceTo(1999);
    expect(host.exits).toBe(0);
    host.clock.advanceTo(2000);
    expect(host.exitCode).toBe(0);
    expect(host.out).toHaveLength(1);
    expect(host.out[0]).toHaveLength(2001);
    expect(host.out[0].startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    expect(host.out[0].replace('.', '').slice(0, 500)).toBe(spigotPi(500));
  });

  it('kubernetes-bootcamp answers on 8080 and ignores SIGTERM (Node.js as PID 1)', () => {
    const host = hostFor('gcr.io/google-samples/kubernetes-bootcamp:v1');
    const p = startProcess({ image: 'gcr.io/google-samples/kubernetes-bootcamp:v1' }, host);
    host.clock.advanceTo(0);
    const r = host.connect('localhost', 8080, '/');
    expect(r.ok && r.response.body).toBe('Hello Kubernetes bootcamp! | Running on: web-1 | v=1\n');
    expect(host.out[0]).toBe('Kubernetes Bootcamp App Started At: 2026-01-01T00:00:00.000Z | Running On:  web-1 ');
    p.signal('SIGTERM');
    host.clock.advanceTo(30_000);
    expect(host.exits).toBe(0);
    const v2 = hostFor('jocatalin/kubernetes-bootcamp:v2');
    startProcess({ image: 'jocatalin/kubernetes-bootcamp:v2' }, v2);
    v2.clock.advanceTo(0);
    const r2 = v2.connect('localhost', 8080, '/');
    expect(r2.ok && r2.response.body).toContain('v=2');
  });

  it.each(['registry.k8s.io/nginx-slim:0.8', 'registry.k8s.io/hpa-example'])('%s serves on :80', (image) => {
    const host = hostFor(image);
    startProcess({ image }, host);
    host.clock.advanceTo(0);
    const r = host.connect('localhost', 80, '/');
    expect(r.ok && r.response.status).toBe(200);
  });
});

describe('reaching PID 1 from exec', () => {
  it('`kill 1` does nothing to a shell without a trap, but `kill -9 1` ends it with 137', () => {
    const host = hostFor('busybox');
    startProcess({ image: 'busybox', command: ['sh', '-c', 'while true; do sleep 1; done'] }, host);
    host.clock.advanceTo(100);
    expect(runToCompletion(['kill', '1'], host).exitCode).toBe(0);
    host.clock.advanceTo(5000);
    expect(host.exits).toBe(0);
    expect(runToCompletion(['ps'], host).stdout).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sh -c while true; do sleep 1; done\n  100 root      0:00 ps\n');
    runToCompletion(['kill', '-9', '1'], host);
    expect(host.exitCode).toBe(137);
  });

  it('`kill 1` runs the trap of a shell that has one', () => {
    const host = hostFor('busybox');
    startProcess({ image: 'busybox', command: ['sh', '-c', "trap 'echo stopping; exit 0' TERM; sleep 9999 & wait"] }, host);
    host.clock.advanceTo(100);
    runToCompletion(['sh', '-c', 'kill -TERM 1'], host);
    expect(host.out).toEqual(['stopping']);
    expect(host.exitCode).toBe(0);
  });

  it('a preStop `nginx -s quit` stops the nginx master gracefully', () => {
    const host = hostFor('nginx');
    startProcess({ image: 'nginx' }, host);
    host.clock.advanceTo(100);
    const r = runToCompletion(['/bin/sh', '-c', 'nginx -s quit; while killall -0 nginx; do sleep 1; done'], host);
    expect(r.stderr).toContain('sh: killall: not found');
    expect(host.exitCode).toBe(0);
  });
});

/** Rabinowitz–Wagon spigot: an independent check of the first digits of π. */
function spigotPi(digits: number): string {
  const len = Math.floor((10 * digits) / 3) + 1;
  const a = new Array<number>(len).fill(2);
  let out = '';
  let nines = 0;
  let predigit = 0;
  for (let j = 0; j < digits; j++) {
    let q = 0;
    for (let i = len; i > 0; i--) {
      const x = 10 * a[i - 1] + q * i;
      a[i - 1] = x % (2 * i - 1);
      q = Math.floor(x / (2 * i - 1));
    }
    a[0] = q % 10;
    q = Math.floor(q / 10);
    if (q === 9) nines++;
    else if (q === 10) {
      out += String(predigit + 1) + '0'.repeat(nines);
      predigit = 0;
      nines = 0;
    } else {
      if (j > 0) out += String(predigit);
      predigit = q;
      if (nines) {
        out += '9'.repeat(nines);
        nines = 0;
      }
    }
  }
  return (out + String(predigit)).slice(0, digits);
}
