/**
 * Scripts from kubernetes.io pages, run as a container's main process over virtual time.
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, mountedFileSystem } from '../fs';
import { startProcess } from '../images';
import { execScript, FakeHost, runScript } from './testing/fakeHost';

describe('kubernetes.io one-liners', () => {
  it('two-container pod: `while true; do echo $(date) >> /html/index.html; sleep 1; done`', () => {
    const html = new MemoryFileSystem();
    const fs = mountedFileSystem(new MemoryFileSystem({ '/tmp/.keep': '' }), [{ path: '/html', fs: html }]);
    const host = new FakeHost(undefined, fs);
    runScript('while true; do echo $(date) >> /html/index.html; sleep 1; done', 3500, host);
    // Unquoted $(date) is field-split, so the double space before the day collapses, as in a real shell.
    expect(html.read("/index.html")).toBe(
      'Thu Jan 1 00:00:00 UTC 2026\nThu Jan 1 00:00:01 UTC 2026\nThu Jan 1 00:00:02 UTC 2026\nThu Jan 1 00:00:03 UTC 2026\n',
    );
    expect(host.exits).toBe(0);
  });

  it('liveness exec: `touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`', () => {
    const host = new FakeHost();
    const { proc } = runScript('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', 0, host);
    host.clock.advanceTo(1);
    expect(execScript('cat /tmp/healthy', host).exitCode).toBe(0);
    host.clock.advanceTo(29_999);
    expect(host.fs.exists('/tmp/healthy')).toBe(true);
    host.clock.advanceTo(30_000);
    const probe = execScript('cat /tmp/healthy', host);
    expect(probe.exitCode).toBe(1);
    expect(probe.stderr).toBe("cat: can't open '/tmp/healthy': No such file or directory\n");
    host.clock.advanceTo(630_000);
    expect(host.exitCode).toBe(0);
    expect(host.exitAt).toBe(630_000);
    proc.signal('SIGTERM');
    expect(host.exits).toBe(1);
  });

  it('init container: `until nslookup myservice…; do echo waiting for myservice; sleep 2; done`', () => {
    const host = new FakeHost();
    const script = 'until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done';
    host.fs.write('/var/run/secrets/kubernetes.io/serviceaccount/namespace', 'default');
    runScript(script, 3000, host);
    expect(host.out.filter((l) => l === 'waiting for myservice')).toHaveLength(2);
    expect(host.err).toContain("nslookup: can't resolve 'myservice.default.svc.cluster.local'");
    host.net.hosts.set('myservice.default.svc.cluster.local', new Map());
    host.clock.advanceTo(4000);
    expect(host.exitCode).toBe(0);
    expect(host.out).toContain('Name:      myservice.default.svc.cluster.local');
  });

  it('counter: `i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done`', () => {
    const { host } = runScript('i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done', 2000);
    expect(host.out).toEqual(['0: Thu Jan  1 00:00:00 UTC 2026', '1: Thu Jan  1 00:00:01 UTC 2026', '2: Thu Jan  1 00:00:02 UTC 2026']);
  });

  it('logging sidecar: `tail -n+1 -F /var/log/1.log` follows appended lines (polling every second)', () => {
    const fs = new MemoryFileSystem({ '/var/log/1.log': 'first\n' });
    const writer = new FakeHost(undefined, fs);
    const reader = new FakeHost(writer.clock, fs);
    runScript('i=0; while true; do echo "$i" >> /var/log/1.log; i=$((i+1)); sleep 1; done', 0, writer);
    startProcess({ image: 'busybox', command: ['tail'], args: ['-n+1', '-F', '/var/log/1.log'] }, reader);
    writer.clock.advanceTo(2500);
    expect(reader.out).toEqual(['first', '0', '1', '2']);
  });

  it('termination message: `echo Sleep expired > /dev/termination-log` style redirects work', () => {
    const host = new FakeHost(undefined, new MemoryFileSystem({ '/dev/.keep': '' }));
    runScript('sleep 10 && echo Sleep expired > /dev/termination-log', 10_000, host);
    expect(host.fs.read('/dev/termination-log')).toBe('Sleep expired\n');
    expect(host.exitCode).toBe(0);
    expect(host.exitAt).toBe(10_000);
  });

  it('a bare busybox pod completes at once: the default `sh` reads EOF (no tty) and exits 0', () => {
    const host = new FakeHost();
    startProcess({ image: 'busybox' }, host);
    host.clock.advanceTo(0);
    expect(host.exitCode).toBe(0);
  });
});

describe('name resolution', () => {
  it('nslookup prints the address when the host can resolve', () => {
    const host = new FakeHost();
    host.resolve = (n) => (n === 'web' ? '10.96.12.7' : undefined);
    expect(execScript('nslookup web', host).stdout).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.96.12.7 web\n',
    );
    const miss = execScript('nslookup nope', host);
    expect(miss.exitCode).toBe(1);
    expect(miss.stderr).toBe("nslookup: can't resolve 'nope'\n");
  });

  it('hostname -i reads the pod IP from /etc/hosts', () => {
    const host = new FakeHost(undefined, new MemoryFileSystem({ '/etc/hosts': '127.0.0.1\tlocalhost\n10.244.1.5\ttest-pod\n' }));
    expect(execScript('hostname -i', host).stdout).toBe('10.244.1.5\n');
  });
});

describe('signals: SIGTERM to PID 1', () => {
  it('a shell without a trap ignores SIGTERM and dies only by SIGKILL', () => {
    const { host, proc } = runScript('while true; do sleep 1; done', 1000);
    proc.signal('SIGTERM');
    host.clock.advanceTo(30_000);
    expect(host.exits).toBe(0);
    proc.signal('SIGKILL');
    host.clock.advanceTo(31_000);
    expect(host.exits).toBe(0); // the caller (kubelet) reports 137 for SIGKILL
  });

  it('`sh -c "sleep 3600"` execs sleep as PID 1: SIGTERM is ignored too', () => {
    const { host, proc } = runScript('sleep 3600', 10);
    proc.signal('SIGTERM');
    host.clock.advanceTo(60_000);
    expect(host.exits).toBe(0);
  });

  it('a trap runs after the current foreground command (here `sleep 1`) ends', () => {
    const { host, proc } = runScript("trap 'echo caught TERM; exit 0' TERM; while true; do sleep 1; done", 500);
    proc.signal('SIGTERM');
    host.clock.advanceTo(999);
    expect(host.exits).toBe(0);
    host.clock.advanceTo(1000);
    expect(host.out).toEqual(['caught TERM']);
    expect(host.exitCode).toBe(0);
    expect(host.exitAt).toBe(1000);
  });

  it('a trap waits for a long foreground sleep: the classic `trap …; sleep 3600` never answers in time', () => {
    const { host, proc } = runScript("trap 'exit 0' SIGTERM; sleep 3600", 10);
    proc.signal('SIGTERM');
    host.clock.advanceTo(30_000);
    expect(host.exits).toBe(0);
  });

  it('`sleep 3600 & wait` lets the trap run at once (wait is interrupted)', () => {
    const { host, proc } = runScript("trap 'echo bye; exit 0' TERM; sleep 3600 & wait", 10);
    proc.signal('SIGTERM');
    expect(host.out).toEqual(['bye']);
    expect(host.exitCode).toBe(0);
    expect(host.exitAt).toBe(10);
  });

  it('a trap that does not exit lets the script go on; EXIT traps run at the end', () => {
    const { host, proc } = runScript("trap 'echo term' TERM; trap 'echo exiting' EXIT; sleep 5; echo done", 1000);
    proc.signal('SIGTERM');
    host.clock.advanceTo(10_000);
    expect(host.out).toEqual(['term', 'done', 'exiting']);
    expect(host.exitCode).toBe(0);
    expect(host.exitAt).toBe(5000);
  });

  it('kill of a background job ends it with 143', () => {
    const { host } = runScript('sleep 100 & pid=$!; kill $pid; wait $pid; echo "status $?"', 0);
    host.clock.advanceTo(1);
    expect(host.out).toEqual(['status 143']);
  });
});

describe('busy loops and limits', () => {
  it('a loop without sleep does not hang the engine: it yields virtual time every 10,000 steps', () => {
    const { host } = runScript('i=0; while true; do i=$((i+1)); echo $i > /tmp/i; done', 0);
    // 10,000 commands per batch, three per iteration (the test, the assignment, the echo).
    expect(host.fs.read('/tmp/i')).toBe('3332\n');
    host.clock.advanceTo(1);
    expect(host.fs.read('/tmp/i')).toBe('6665\n');
    host.clock.advanceTo(10);
    // Full speed for ten ticks: batches at t = 0, 1, …, 10 ms (110,000 commands).
    expect(host.fs.read('/tmp/i')).toBe('36665\n');
    host.clock.advanceTo(3_600_000);
    expect(host.exits).toBe(0);
    // Then it crawls: 1,000 commands per tick, ticks doubling up to a minute (16 + 59 ticks in the hour).
    const after = Number(host.fs.read('/tmp/i'));
    expect(after).toBeGreaterThan(36665);
    expect(after).toBeLessThan(36665 + (80 * 1000) / 3);
  });

  it('exec of a never-ending command is cut off with exit 124', () => {
    const r = execScript('sleep infinity');
    expect(r.exitCode).toBe(124);
    expect(r.timedOut).toBe(true);
    const loop = execScript('while true; do :; done');
    expect(loop.timedOut).toBe(true);
  });

  it.each([
    ['timeout 2 sleep 5; echo "rc=$?"', 'rc=124\n', 2000],
    ['timeout 5 sleep 2; echo "rc=$?"', 'rc=0\n', 2000],
    ['timeout 1 tail -f /tmp/.keep; echo "rc=$?"', 'rc=124\n', 1000],
    ['timeout 3 sh -c "exit 7"; echo "rc=$?"', 'rc=7\n', 0],
  ])('%s', (script, stdout, elapsed) => {
    const r = execScript(script);
    expect(r.stdout).toBe(stdout);
    expect(r.elapsedMs).toBe(elapsed);
  });

  it('sleep inside exec adds to elapsedMs without moving the clock', () => {
    const host = new FakeHost();
    const r = execScript('sleep 2; echo done', host);
    expect(r).toMatchObject({ stdout: 'done\n', exitCode: 0, elapsedMs: 2000 });
    expect(host.clock.now()).toBe(0);
  });
});

describe('network tools', () => {
  const withWeb = () => {
    const host = new FakeHost();
    const web = new Map([[80, (path: string) => (path === '/' ? { status: 200, body: 'hello\n' } : { status: 404, body: 'nope\n' })]]);
    host.net.hosts.set('web', web);
    host.net.blackholes.add('10.0.0.99');
    return host;
  };

  it.each([
    ['wget -q -O - http://web', 'hello\n', 0, ''],
    ['wget -qO- web/', 'hello\n', 0, ''],
    ['wget -q --spider http://web/', '', 0, ''],
    ['wget -q -O - http://web/missing', '', 1, 'wget: server returned error: HTTP/1.1 404 Not Found\n'],
    ['wget -q -O - http://nowhere', '', 1, "wget: bad address 'nowhere'\n"],
    ['wget -q -O - http://web:8080', '', 1, "wget: can't connect to remote host (web): Connection refused\n"],
    ['wget -q -T 2 -O - http://10.0.0.99', '', 1, 'wget: download timed out\n'],
    ['curl -s http://web', 'hello\n', 0, ''],
    ['curl -sf http://web/missing', '', 22, ''],
    ['curl -f http://web/missing', '', 22, 'curl: (22) The requested URL returned error: 404\n'],
    ['curl http://nowhere', '', 6, 'curl: (6) Could not resolve host: nowhere\n'],
    ['curl -sS web:81', '', 7, "curl: (7) Failed to connect to web port 81 after 0 ms: Couldn't connect to server\n"],
    ['curl -m 3 http://10.0.0.99', '', 28, 'curl: (28) Operation timed out after 3000 milliseconds with 0 bytes received\n'],
    ['curl -sI http://web', 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n', 0, ''],
    ['curl -s -o /tmp/page http://web && cat /tmp/page', 'hello\n', 0, ''],
    ['curl -s -w "%{http_code}" -o /dev/null http://web', '200', 0, ''],
    ['nc -z web 80 && echo open', 'open\n', 0, ''],
    ['nc -z web 81 || echo closed', 'closed\n', 0, ''],
  ])('%s', (script, stdout, code, stderr) => {
    const r = execScript(script, withWeb());
    expect(r.stdout).toBe(stdout);
    expect(r.stderr).toBe(stderr);
    expect(r.exitCode).toBe(code);
  });

  it('a timeout takes virtual time in a running container', () => {
    const host = withWeb();
    runScript('wget -q -T 2 -O - http://10.0.0.99; echo "rc=$?"', 1999, host);
    expect(host.out).toEqual([]);
    host.clock.advanceTo(2000);
    expect(host.out).toEqual(['rc=1']);
  });

  it('curl and wget say who they are', () => {
    const host = withWeb();
    execScript('curl -s web >/dev/null; wget -q -O /dev/null web', host);
    expect(host.requests.map((r) => r.meta?.userAgent)).toEqual(['curl/8.5.0', 'Wget']);
  });
});

describe('memory', () => {
  it('polinux/stress --vm-bytes sets the process memory', () => {
    const host = new FakeHost();
    startProcess({ image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] }, host);
    host.clock.advanceTo(1);
    expect(host.memory).toBe(250 * 1024 * 1024 + 1024 * 1024);
    expect(host.out).toEqual(['stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd']);
  });
});

describe('stdin', () => {
  it('with `stdin: true` a bare busybox sh waits for input instead of completing', () => {
    const host = new FakeHost();
    startProcess({ image: 'busybox', stdin: true }, host);
    host.clock.advanceTo(60_000);
    expect(host.exits).toBe(0);
  });
});

describe('exec in PID 1', () => {
  it('replaces the shell: no EXIT trap afterwards, the program exit code is the container’s', () => {
    const { host } = runScript('trap "echo bye" EXIT; echo start; exec sh -c "echo hi; exit 3"', 10);
    expect(host.out).toEqual(['start', 'hi']);
    expect(host.exitCode).toBe(3);
    expect(host.exits).toBe(1);
  });

  it('in a subshell only replaces the subshell: the parent goes on and runs its EXIT trap', () => {
    const { host } = runScript('trap "echo bye" EXIT; (exec echo inner); echo after', 10);
    expect(host.out).toEqual(['inner', 'after', 'bye']);
    expect(host.exitCode).toBe(0);
  });

  it('a server exec’d by a script keeps serving and still gets SIGTERM as PID 1', () => {
    const { host, proc } = runScript('echo starting; exec httpd -f -p 8080', 10, undefined, 'busybox');
    expect(host.out[0]).toBe('starting');
    expect(host.exits).toBe(0);
    proc.signal('SIGTERM');
    host.clock.advanceBy(10);
    expect(host.exits).toBe(1);
  });
});
