import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryFileSystem } from '../fs';
import { parseScript, ShellSyntaxError } from './parser';
import { evalArith } from './interpreter';
import { execScript, FakeHost, runScript } from './testing/fakeHost';

type Row = [string, string, number?];

function check(rows: Row[]) {
  it.each(rows)('%s', (script, stdout, code = 0) => {
    const host = new FakeHost(undefined, new MemoryFileSystem({ '/tmp/.keep': '', '/data/in.txt': 'l1\nl2\n' }), { NAME: 'world' });
    const r = execScript(script, host);
    expect(r.stdout).toBe(stdout);
    expect(r.exitCode).toBe(code);
  });
}

describe('lists and and-or', () =>
  check([
    ['echo a; echo b', 'a\nb\n'],
    ['true && echo yes || echo no', 'yes\n'],
    ['false && echo yes || echo no', 'no\n'],
    ['false || false', '', 1],
    ['! false && echo negated', 'negated\n'],
    ['echo a\necho b\n', 'a\nb\n'],
    ['# a comment\necho x # trailing', 'x\n'],
  ]));

describe('quoting and parameters', () =>
  check([
    ["echo 'single $NAME'", 'single $NAME\n'],
    ['echo "double $NAME"', 'double world\n'],
    ['echo "${NAME}s" $NAME', 'worlds world\n'],
    ['echo a\\ b "c\\"d" \\$x', 'a b c"d $x\n'],
    ['X="a  b"; echo $X; echo "$X"', 'a b\na  b\n'],
    ['echo ${UNSET:-fallback} ${NAME:+set} ${#NAME}', 'fallback set 5\n'],
    ['echo ${U:=assigned}; echo $U', 'assigned\nassigned\n'],
    ['F=/a/b/c.txt; echo ${F##*/} ${F%.txt} ${F#/a}', 'c.txt /a/b/c /b/c.txt\n'],
    ['false; echo $?', '1\n'],
    ['echo $$', '100\n'],
    ['set -- x y z; echo $# $1 $3 "$@"', '3 x z x y z\n'],
    ["echo ''x\"\"", 'x\n'],
    ['A=1 B=2; echo $A$B', '12\n'],
    ['echo ~ ~/x "~"', '/root /root/x ~\n'],
    ['read x <<< "hi there"; echo $x', 'hi there\n'],
  ]));

describe('substitution and arithmetic', () =>
  check([
    ['echo "today: $(date +%F)"', 'today: 2026-01-01\n'],
    ['echo `echo back`ticks', 'backticks\n'],
    ['echo $(echo $(echo nested))', 'nested\n'],
    ['echo $((1 + 2 * 3)) $(( (1+2)*3 )) $((7 / 2)) $((7 % 3)) $((-4 + 1))', '7 9 3 1 -3\n'],
    ['i=5; echo $((i + 1)) $(($i * 2)) $((i > 3 && i < 10))', '6 10 1\n'],
    ['echo $((1 / 0))', '', 2],
    ['x=$(false); echo $?', '1\n'],
    ['x=$(false); y=1; echo $?', '0\n'],
  ]));

describe('redirections and pipes', () =>
  check([
    ['echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f', 'a\nb\n'],
    ['echo x > /tmp/f; echo y > /tmp/f; cat < /tmp/f', 'y\n'],
    ['ls /nope 2>&1 | wc -l', '1\n'],
    ['ls /nope 2>/dev/null; echo $?', '1\n'],
    ['echo err 1>&2 | wc -c', '0\n'],
    ['cat /data/in.txt | grep 2 | wc -l', '1\n'],
    ['cat <<EOF\nhello $NAME\nEOF', 'hello world\n'],
    ["cat <<'EOF'\nhello $NAME\nEOF", 'hello $NAME\n'],
    ['while read line; do echo "got $line"; done < /data/in.txt', 'got l1\ngot l2\n'],
    ['echo x > /nodir/f', '', 1],
  ]));

describe('exec with only redirections', () => {
  it('makes them permanent for the rest of the script', () => {
    const host = new FakeHost();
    const r = execScript('echo before; exec > /tmp/log 2>&1; echo one; ls /nope', host);
    expect(r.stdout).toBe('before\n');
    expect(host.fs.read('/tmp/log')).toBe('one\nls: /nope: No such file or directory\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('compound commands', () =>
  check([
    ['if true; then echo t; else echo f; fi', 't\n'],
    ['if false; then echo 1; elif [ 1 = 1 ]; then echo 2; else echo 3; fi', '2\n'],
    ['if false; then echo 1; fi', ''],
    ['for x in a b c; do echo $x; done', 'a\nb\nc\n'],
    ['for f in /data/*; do echo $f; done', '/data/in.txt\n'],
    ['for f in /none/*; do echo $f; done', '/none/*\n'],
    ['i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i', '3\n'],
    ['i=0; until [ $i -ge 2 ]; do echo $i; i=$((i+1)); done', '0\n1\n'],
    ['for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done', '1\n2\n'],
    ['for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done', '1\n3\n'],
    ['{ echo a; echo b; } | wc -l', '2\n'],
    ['X=1; (X=2; echo $X); echo $X', '2\n1\n'],
    ['(exit 3); echo $?', '3\n'],
    ['case abc in a*) echo A;; *) echo other;; esac', 'A\n'],
    ['case x in a|b) echo ab;; *) echo default;; esac', 'default\n'],
    ['greet() { echo "hi $1"; return 3; }; greet bob; echo $?', 'hi bob\n3\n'],
    ['sleep 1 & wait; echo waited', 'waited\n'],
    ['sleep 1 & echo "bg pid $!"', 'bg pid 101\n'],
    ['set -e; false; echo never', '', 1],
    ['echo a; break; echo b', 'a\nb\n'],
    ['for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done', '1a\n2a\n'],
    ['for i in 1 2; do while true; do break 2; done; echo never; done; echo out', 'out\n'],
  ]));

describe('syntax errors (busybox wording, exit 2)', () => {
  it.each([
    ['if true; then echo x; fi fi', 'sh: syntax error: unexpected "fi"\n'],
    ['fi', 'sh: syntax error: unexpected "fi"\n'],
    ['echo "unterminated', 'sh: syntax error: unterminated quoted string\n'],
    ['if true; then echo x', 'sh: syntax error: unexpected end of file (expecting "fi")\n'],
    ['while true; do echo', 'sh: syntax error: unexpected end of file (expecting "done")\n'],
    ['echo $(echo', 'sh: syntax error: unexpected end of file (expecting ")")\n'],
    ['; echo', 'sh: syntax error: unexpected ";"\n'],
    ['echo a && && echo b', 'sh: syntax error: unexpected "&&"\n'],
    ['( echo', 'sh: syntax error: unexpected end of file (expecting ")")\n'],
  ])('%s', (script, stderr) => {
    const r = execScript(script);
    expect(r.stderr).toBe(stderr);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('evalArith', () => {
  it.each([
    ['1+2*3', 7],
    ['(1+2)*3', 9],
    ['10/3', 3],
    ['-7/2', -3],
    ['2 > 1 ? 5 : 6', 5],
    ['x * 2', 8],
    ['!0', 1],
    ['1 << 4', 16],
    ['', 0],
  ])('%s = %d', (e, want) => expect(evalArith(e, new Map([['x', '4']]))).toBe(want));
  it.each(['1 +', '(1', '1/0', 'a b', '$'])('%s throws', (e) => expect(() => evalArith(e, new Map())).toThrow());
});

describe('robustness', () => {
  it('parseScript throws only ShellSyntaxError on random input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (src) => {
        try {
          parseScript(src);
        } catch (e) {
          expect(e).toBeInstanceOf(ShellSyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });

  const shellish = fc
    .array(
      fc.constantFrom('echo', 'x', '$x', '"', "'", ';', '&&', '||', '|', '&', '>', '<', '2>&1', 'if', 'then', 'fi', 'while', 'do', 'done',
        'for', 'in', '(', ')', '{', '}', '$((', '))', '$(', 'sleep 1', 'exit', 'trap', 'kill', '\n', ' ', 'cat', '/tmp/f', '*', 'case', 'esac', '`', '\\'),
      { maxLength: 25 },
    )
    .map((parts) => parts.join(' '));

  it('property: the same script gives the same log, exit code and exit time (determinism)', () => {
    const pieces = fc.constantFrom('echo $RANDOM', 'sleep 1', 'sleep 0.5 &', 'wait', "trap 'echo t' TERM", 'date +%s', 'echo $$ $!', 'i=$((i+1))', 'exit 3', 'kill $!');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), fc.integer({ min: 0, max: 3000 }), (parts, signalAt) => {
        const script = parts.join('; ');
        const once = () => {
          const { host, proc } = runScript(script, signalAt);
          proc.signal('SIGTERM');
          host.clock.advanceTo(10_000);
          return { log: host.log, code: host.exitCode, at: host.exitAt };
        };
        expect(once()).toEqual(once());
      }),
      { numRuns: 100 },
    );
  });

  it('property: random shell-like input never throws out of the interpreter', () => {
    fc.assert(
      fc.property(shellish, (script) => {
        const r = execScript(script);
        expect(typeof r.exitCode).toBe('number');
        expect(r.stderr).not.toContain('internal error');
        const { host } = runScript(script, 5000);
        expect(host.exits).toBeLessThanOrEqual(1);
        expect(host.err.join('\n')).not.toContain('internal error');
      }),
      { numRuns: 300 },
    );
  });
});

describe('bash-isms busybox ash also accepts', () => {
  check([
    ['if [[ -e /data/in.txt && "a b" == a* ]]; then echo yes; fi', 'yes\n'],
    ['[[ abc =~ ^a.c$ ]] && echo re', 're\n'],
    ['[[ x == y || 1 -eq 1 ]] && echo or', 'or\n'],
    ['[[ -n $NAME ]] && echo "name set"', 'name set\n'],
    ['[ $RANDOM -ge 0 ] && [ $RANDOM -le 32767 ] && echo ok', 'ok\n'],
  ]);

  it('downward API example loop body', () => {
    const host = new FakeHost(undefined, new MemoryFileSystem({ '/etc/podinfo/labels': 'app="web"' }), { MY_NODE_NAME: 'node-1', MY_POD_NAME: 'p' });
    const r = execScript("if [[ -e /etc/podinfo/labels ]]; then echo -en '\\n\\n'; cat /etc/podinfo/labels; fi; printenv MY_NODE_NAME MY_POD_NAME", host);
    expect(r.stdout).toBe('\n\napp="web"node-1\np\n');
  });

  it('set -x traces commands on stderr', () => {
    const r = execScript('set -x; echo hi $NAME');
    expect(r.stderr).toBe('+ echo hi\n');
  });

  it('$RANDOM is reproducible', () => {
    expect(execScript('echo $RANDOM $RANDOM').stdout).toBe(execScript('echo $RANDOM $RANDOM').stdout);
  });
});
