import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, mountedFileSystem } from '../fs';
import { execScript, FakeHost } from './testing/fakeHost';
import { parseSleep } from './commands';

/** [script, stdout, exit code, stderr (substring) ] run like `kubectl exec … -- sh -c SCRIPT`. */
type Row = [string, string, number, string?];

function check(rows: Row[], files: Record<string, string> = {}) {
  it.each(rows)('%s', (script, stdout, code, stderr) => {
    const host = new FakeHost(undefined, new MemoryFileSystem({ '/tmp/.keep': '', ...files }), { GREETING: 'hello' });
    const r = execScript(script, host);
    expect(r.stdout).toBe(stdout);
    expect(r.exitCode).toBe(code);
    if (stderr !== undefined) expect(r.stderr).toContain(stderr);
  });
}

const FILES = { '/data/a.txt': 'one\ntwo\nthree\nfour\n', '/data/b.log': 'x\n', '/etc/config/k': 'v' };

describe('echo', () =>
  check([
    ['echo hello world', 'hello world\n', 0],
    ['echo -n hi', 'hi', 0],
    ['echo -e "a\\tb\\nc"', 'a\tb\nc\n', 0],
    ['echo "a\\nb"', 'a\\nb\n', 0],
    ['echo -e "stop\\cgone"', 'stop', 0],
    ['echo', '\n', 0],
  ]));

describe('printf', () =>
  check([
    ['printf "%s-%d\\n" a 7', 'a-7\n', 0],
    ['printf "%05d|%-3s|%x\\n" 42 ab 255', '00042|ab |ff\n', 0],
    ['printf "%s\\n" a b c', 'a\nb\nc\n', 0],
    ['printf "%.2f%%\\n" 3.14159', '3.14%\n', 0],
    ['printf "%d\\n" abc', '0\n', 1, "invalid number 'abc'"],
  ]));

describe('test and [', () =>
  check(
    [
      ['[ -f /data/a.txt ] && echo yes', 'yes\n', 0],
      ['[ -d /data ] && echo dir', 'dir\n', 0],
      ['[ -e /nope ]', '', 1],
      ['test -z "" && test -n x', '', 0],
      ['[ 3 -lt 10 ] && [ 10 -ge 10 ] && [ 2 -ne 3 ]', '', 0],
      ['[ abc = abc ] && [ abc != abd ]', '', 0],
      ['[ ! -s /tmp/.keep ]', '', 0],
      ['[ -f /data/a.txt -a -d /data ]', '', 0],
      ['[ -f /nope -o -d /data ]', '', 0],
      ['[ 1 -eq 1', '', 2, 'missing ]'],
      ['[ a -eq 1 ]', '', 2, 'bad number'],
    ],
    FILES,
  ));

describe('sleep', () => {
  it.each([
    [['5'], 5000],
    [['0.5'], 500],
    [['1m'], 60000],
    [['1', '2s'], 3000],
    [['infinity'], Infinity],
    [['abc'], undefined],
  ])('%j → %s ms', (args, ms) => expect(parseSleep(args)).toBe(ms));

  check([['sleep x', '', 1, "sleep: invalid number 'x'"]]);
});

describe('file utilities', () =>
  check(
    [
      ['cat /data/a.txt /data/b.log', 'one\ntwo\nthree\nfour\nx\n', 0],
      ['cat /nope', '', 1, "cat: can't open '/nope': No such file or directory"],
      ['head -n 2 /data/a.txt', 'one\ntwo\n', 0],
      ['head -1 /data/a.txt', 'one\n', 0],
      ['tail -n 2 /data/a.txt', 'three\nfour\n', 0],
      ['tail -n +3 /data/a.txt', 'three\nfour\n', 0],
      ['tail -1 /data/a.txt', 'four\n', 0],
      ['touch /tmp/new && ls /tmp', 'new\n', 0],
      ['touch /no/such/dir/f', '', 1, 'No such file or directory'],
      ['rm /data/b.log && ls /data', 'a.txt\n', 0],
      ['rm /nope', '', 1, "rm: can't remove '/nope': No such file or directory"],
      ['rm -f /nope', '', 0],
      ['rm /data', '', 1, "rm: '/data' is a directory"],
      ['rm -rf /data && ls /', 'etc\ntmp\n', 0],
      ['mkdir /x/y', '', 1, "mkdir: can't create directory '/x/y': No such file or directory"],
      ['mkdir -p /x/y && ls /x', 'y\n', 0],
      ['mkdir /data', '', 1, 'File exists'],
      ['cp /data/a.txt /tmp/ && cat /tmp/a.txt | wc -l', '4\n', 0],
      ['mv /data/b.log /tmp/c && ls /data && cat /tmp/c', 'a.txt\nx\n', 0],
      ['ls /nope', '', 1, 'ls: /nope: No such file or directory'],
      ['ls -a /data', '.\n..\na.txt\nb.log\n', 0],
    ],
    FILES,
  ));

describe('read-only mounts', () => {
  it('a redirect into a readOnly volume fails like busybox', () => {
    const fs = mountedFileSystem(new MemoryFileSystem({ '/tmp/.keep': '' }), [{ path: '/etc/config', fs: new MemoryFileSystem({ '/k': 'v' }), readOnly: true }]);
    const r = execScript('echo x > /etc/config/k; echo $?; touch /etc/config/new', new FakeHost(undefined, fs));
    expect(r.stderr).toBe("sh: can't create /etc/config/k: Read-only file system\ntouch: /etc/config/new: Read-only file system\n");
    expect(r.stdout).toBe('1\n');
    expect(r.exitCode).toBe(1);
    expect(fs.read('/etc/config/k')).toBe('v');
  });
});

describe('text utilities', () =>
  check(
    [
      ['grep t /data/a.txt', 'two\nthree\n', 0],
      ['grep -v o /data/a.txt', 'three\n', 0],
      ['grep -c o /data/a.txt', '3\n', 0],
      ['grep -q zzz /data/a.txt', '', 1],
      ['grep -i ONE /data/a.txt', 'one\n', 0],
      ['grep -E "^(one|four)$" /data/a.txt', 'one\nfour\n', 0],
      ['wc -l /data/a.txt', '4 /data/a.txt\n', 0],
      ['echo a b c | wc -w', '3\n', 0],
      ['seq 3', '1\n2\n3\n', 0],
      ['seq 2 2 6', '2\n4\n6\n', 0],
      ['expr 2 + 3', '5\n', 0],
      ['expr 3 \\* 4', '12\n', 0],
      ['expr 1 - 1', '0\n', 1],
      ['basename /a/b/c.txt .txt; dirname /a/b/c.txt', 'c\n/a/b\n', 0],
      ['echo hi | tee /tmp/t && cat /tmp/t', 'hi\nhi\n', 0],
    ],
    FILES,
  ));

describe('environment and identity', () =>
  check([
    ['env | grep GREETING', 'GREETING=hello\n', 0],
    ['printenv GREETING', 'hello\n', 0],
    ['printenv NOPE', '', 1],
    ['hostname', 'test-pod\n', 0],
    ['echo $HOSTNAME', 'test-pod\n', 0],
    ['whoami', 'root\n', 0],
    ['date +%Y-%m-%dT%H:%M:%SZ', '2026-01-01T00:00:00Z\n', 0],
    ['date +%s', '1767225600\n', 0],
    ['true', '', 0],
    ['false', '', 1],
    [':', '', 0],
  ]));

describe('exit, kill, trap', () =>
  check([
    ['exit 3', '', 3],
    ['exit 300', '', 44],
    ['exit abc', '', 2, 'sh: exit: Illegal number: abc'],
    ['false; exit', '', 1],
    ["trap 'echo bye' EXIT; echo hi", 'hi\nbye\n', 0],
    ["trap 'echo bye; exit 4' EXIT; exit 1", 'bye\n', 4],
    ['trap "echo x" NOPE', '', 1, 'bad trap'],
    ['kill 4242', '', 1, "can't kill pid 4242: No such process"],
    ['kill -9', '', 1, 'usage'],
    ["trap 'echo got TERM' TERM; kill $$; echo after", 'got TERM\nafter\n', 0],
  ]));

describe('not found and unsupported', () =>
  check([
    ['nosuchcmd', '', 127, 'sh: nosuchcmd: not found'],
    ['/usr/bin/nosuch', '', 127, 'sh: /usr/bin/nosuch: not found'],
    ['nosuchcmd; echo $?', '127\n', 0],
  ]));

describe('bash flavour', () => {
  it('reports not found the bash way', () => {
    const r = execScript('bash -c "nosuch"');
    expect(r.stderr).toBe('bash: line 1: nosuch: command not found\n');
    expect(r.exitCode).toBe(127);
  });
});
