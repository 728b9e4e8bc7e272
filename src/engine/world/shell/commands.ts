/**
 * Shell builtins and the busybox/coreutils utilities that container one-liners use. Messages follow
 * busybox (the image most kubernetes.io examples run), e.g. `cat: can't open 'x': No such file or
 * directory`.
 */
import { Clock } from '../../clock';
import { FsError } from '../fs';
import type { ConnectResult, ProcessHost, Signal } from '../process';
import { baseName, type CommandContext, globToRegExp, type Program, Shell, signalKey, signalNumber } from './interpreter';
import { ExitSignal, pid1ByFs, type Run, Stdin, StringSink } from './runtime';

const SLEEP_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse `sleep` operands: `5`, `0.5`, `1m`, `infinity`. Returns ms, Infinity, or undefined if invalid. */
export function parseSleep(args: string[]): number | undefined {
  let total = 0;
  for (const a of args) {
    if (a === 'inf' || a === 'infinity') return Infinity;
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return undefined;
    total += Number(m[1]) * SLEEP_UNITS[m[2]];
  }
  return Math.round(total);
}

/** Make this command the container's signal receiver when it is PID 1 (after `exec`). */
export function claimPid1(c: CommandContext, handler: (sig: Signal) => void = () => {}): void {
  if (c.pid1) c.rt.disposition = handler;
}

function* sleep(c: CommandContext): Run {
  claimPid1(c);
  const args = c.argv.slice(1);
  if (!args.length) {
    c.io.stderr.write('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n');
    return 1;
  }
  const ms = parseSleep(args);
  if (ms === undefined) {
    c.err(`invalid number '${args.find((a) => parseSleep([a]) === undefined)}'`);
    return 1;
  }
  if (ms === Infinity) yield { t: 'block' };
  else yield { t: 'sleep', ms };
  return 0;
}

// ---- text utilities ----

function readInputs(c: CommandContext, files: string[], util: string): { text: string; status: number } {
  if (!files.length || (files.length === 1 && files[0] === '-')) return { text: c.io.stdin.readAll(), status: 0 };
  let text = '';
  let status = 0;
  for (const f of files) {
    if (f === '-') {
      text += c.io.stdin.readAll();
      continue;
    }
    const p = c.path(f);
    const content = c.host.fs.read(p);
    if (content === undefined) {
      c.io.stderr.write(`${util}: ${c.host.fs.isDir(p) ? `read error: Is a directory` : `can't open '${f}': No such file or directory`}\n`);
      status = 1;
    } else text += content;
  }
  return { text, status };
}

function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function* cat(c: CommandContext): Run {
  if (c.argv.length === 1 && c.io.stdin.waiting) {
    claimPid1(c);
    yield { t: 'block' };
  }
  const { text, status } = readInputs(c, c.argv.slice(1).filter((a) => a !== '-u'), 'cat');
  c.io.stdout.write(text);
  return status;
}

/** Parse `-n N`, `-N`, `-nN`, `-n +N` for head/tail. */
function lineCount(args: string[]): { n: number; fromStart: boolean; follow: boolean; files: string[] } | string {
  let n = 10;
  let fromStart = false;
  let follow = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '-f' || a === '-F') follow = true;
    else if (a === '-n') v = args[++i];
    else if (/^-n[+-]?\d+$/.test(a)) v = a.slice(2);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (/^-[fF]n$/.test(a) || /^-n[fF]$/.test(a)) {
      follow = true;
      v = args[++i];
    } else if (a.startsWith('-') && a !== '-') return `invalid option -- '${a.slice(1)}'`;
    else files.push(a);
    if (v !== undefined) {
      if (!/^[+-]?\d+$/.test(v)) return `invalid number '${v}'`;
      fromStart = v.startsWith('+');
      n = Math.abs(Number(v));
    }
  }
  return { n, fromStart, follow, files };
}

// eslint-disable-next-line require-yield
function* head(c: CommandContext): Run {
  const o = lineCount(c.argv.slice(1));
  if (typeof o === 'string') {
    c.err(o);
    return 1;
  }
  const { text, status } = readInputs(c, o.files, 'head');
  const lines = splitLines(text).slice(0, o.n);
  c.io.stdout.write(lines.map((l) => l + '\n').join(''));
  return status;
}

/** busybox `tail -f` polls the file once a second; so does this one. */
function* tail(c: CommandContext): Run {
  claimPid1(c);
  const o = lineCount(c.argv.slice(1));
  if (typeof o === 'string') {
    c.err(o);
    return 1;
  }
  const pick = (text: string) => {
    const lines = splitLines(text);
    const chosen = o.fromStart ? lines.slice(Math.max(0, o.n - 1)) : o.n === 0 ? [] : lines.slice(-o.n);
    return chosen.map((l) => l + '\n').join('');
  };
  if (!o.follow || !o.files.length) {
    const { text, status } = readInputs(c, o.files, 'tail');
    c.io.stdout.write(pick(text));
    if (o.follow && !o.files.length) yield { t: 'block' };
    return status;
  }
  const file = c.path(o.files[0]);
  let seen = c.host.fs.read(file);
  if (seen === undefined) c.err(`cannot open '${o.files[0]}' for reading: No such file or directory`);
  else c.io.stdout.write(pick(seen));
  for (;;) {
    yield { t: 'sleep', ms: 1000 };
    const now = c.host.fs.read(file);
    if (now === undefined) continue;
    if (seen === undefined || now.length < seen.length) {
      if (seen !== undefined) c.err(`${o.files[0]}: file truncated`);
      c.io.stdout.write(seen === undefined ? pick(now) : now);
    } else if (now.length > seen.length) c.io.stdout.write(now.slice(seen.length));
    seen = now;
  }
}

// eslint-disable-next-line require-yield
function* grep(c: CommandContext): Run {
  const args = c.argv.slice(1);
  const flags = new Set<string>();
  const rest: string[] = [];
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-e') pattern = args[++i];
    else if (/^-[a-zA-Z]+$/.test(a)) for (const f of a.slice(1)) flags.add(f);
    else if (pattern === undefined) pattern = a;
    else rest.push(a);
  }
  if (pattern === undefined) {
    c.io.stderr.write('BusyBox v1.36.1 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] PATTERN/-e PATTERN.../-f FILE [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    const src = flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : flags.has('E') ? pattern : basicToExtended(pattern);
    re = new RegExp(flags.has('w') ? `\\b(?:${src})\\b` : src, flags.has('i') ? 'i' : '');
  } catch {
    c.err(`bad regex '${pattern}'`);
    return 2;
  }
  const { text, status } = readInputs(c, rest, 'grep');
  const matches = splitLines(text).filter((l) => re.test(l) !== flags.has('v'));
  if (flags.has('c')) c.io.stdout.write(`${matches.length}\n`);
  else if (!flags.has('q')) c.io.stdout.write(matches.map((l) => l + '\n').join(''));
  if (status) return 2;
  return matches.length ? 0 : 1;
}

/** POSIX basic regex to JS: `\(`, `\|`, `\+` are operators, bare `( | + ?` are literals. */
function basicToExtended(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '\\' && i + 1 < p.length) {
      const n = p[++i];
      out += '(){}|+?'.includes(n) ? n : `\\${n}`;
    } else out += '(){}|+?'.includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

// eslint-disable-next-line require-yield
function* wc(c: CommandContext): Run {
  const args = c.argv.slice(1);
  const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('').replace(/-/g, '');
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  const { text, status } = readInputs(c, files, 'wc');
  const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: text.length };
  const want = flags ? (['l', 'w', 'c'] as const).filter((f) => flags.includes(f)) : (['l', 'w', 'c'] as const);
  const nums = want.map((f) => String(counts[f]));
  const width = want.length > 1 ? 7 : 0;
  const cols = nums.map((n) => n.padStart(width));
  c.io.stdout.write(`${cols.join(' ')}${files.length ? ` ${files[0]}` : ''}\n`);
  return status;
}

// eslint-disable-next-line require-yield
function* tee(c: CommandContext): Run {
  const append = c.argv.includes('-a');
  const files = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  const text = c.io.stdin.readAll();
  c.io.stdout.write(text);
  let status = 0;
  for (const f of files) {
    try {
      c.host.fs.write(c.path(f), text, append);
    } catch (e) {
      c.err(`${f}: ${e instanceof FsError ? e.message : 'error'}`);
      status = 1;
    }
  }
  return status;
}

// ---- file utilities ----

function fsOp(c: CommandContext, fn: () => void, what: string): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof FsError) {
      c.err(`${what}: ${e.message}`);
      return false;
    }
    throw e;
  }
}

// eslint-disable-next-line require-yield
function* touch(c: CommandContext): Run {
  let status = 0;
  for (const f of c.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = c.path(f);
    if (c.host.fs.exists(p)) continue;
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!c.host.fs.isDir(parent)) {
      c.err(`${f}: No such file or directory`);
      status = 1;
      continue;
    }
    if (!fsOp(c, () => c.host.fs.write(p, ''), f)) status = 1;
  }
  return status;
}

// eslint-disable-next-line require-yield
function* rm(c: CommandContext): Run {
  const args = c.argv.slice(1);
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const force = flags.includes('f');
  const recursive = /[rR]/.test(flags);
  let status = 0;
  const files = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  if (!files.length && !force) {
    c.io.stderr.write('BusyBox v1.36.1 multi-call binary.\n\nUsage: rm [-irf] FILE...\n');
    return 1;
  }
  for (const f of files) {
    const p = c.path(f);
    if (!c.host.fs.exists(p)) {
      if (!force) {
        c.err(`can't remove '${f}': No such file or directory`);
        status = 1;
      }
      continue;
    }
    if (c.host.fs.isDir(p) && !recursive) {
      c.err(`'${f}' is a directory`);
      status = 1;
      continue;
    }
    if (!fsOp(c, () => c.host.fs.remove(p), `can't remove '${f}'`)) status = 1;
  }
  return status;
}

// eslint-disable-next-line require-yield
function* mkdir(c: CommandContext): Run {
  const args = c.argv.slice(1);
  const parents = args.some((a) => /^-[a-zA-Z]*p/.test(a));
  let status = 0;
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    const p = c.path(f);
    if (c.host.fs.exists(p)) {
      if (!parents || !c.host.fs.isDir(p)) {
        c.err(`can't create directory '${f}': File exists`);
        status = 1;
      }
      continue;
    }
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!parents && !c.host.fs.isDir(parent)) {
      c.err(`can't create directory '${f}': No such file or directory`);
      status = 1;
      continue;
    }
    if (!fsOp(c, () => c.host.fs.mkdir(p), `can't create directory '${f}'`)) status = 1;
  }
  return status;
}

// eslint-disable-next-line require-yield
function* rmdir(c: CommandContext): Run {
  let status = 0;
  for (const f of c.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = c.path(f);
    if (!c.host.fs.isDir(p)) {
      c.err(`'${f}': ${c.host.fs.exists(p) ? 'Not a directory' : 'No such file or directory'}`);
      status = 1;
    } else if (c.host.fs.list(p).length) {
      c.err(`'${f}': Directory not empty`);
      status = 1;
    } else if (!fsOp(c, () => c.host.fs.remove(p), `'${f}'`)) status = 1;
  }
  return status;
}

function copyTree(c: CommandContext, from: string, to: string): void {
  const fs = c.host.fs;
  if (fs.isDir(from)) {
    fs.mkdir(to);
    for (const n of fs.list(from)) copyTree(c, `${from}/${n}`.replace('//', '/'), `${to}/${n}`.replace('//', '/'));
  } else fs.write(to, fs.read(from) ?? '');
}

function* cpOrMv(c: CommandContext, move: boolean): Run {
  const args = c.argv.slice(1);
  const recursive = move || args.some((a) => /^-[a-zA-Z]*[rRa]/.test(a));
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length < 2) {
    c.io.stderr.write(`BusyBox v1.36.1 multi-call binary.\n\nUsage: ${move ? 'mv' : 'cp'} [-fin] SOURCE DEST\n`);
    return 1;
  }
  const dest = c.path(paths[paths.length - 1]);
  const fs = c.host.fs;
  let status = 0;
  for (const s of paths.slice(0, -1)) {
    const src = c.path(s);
    if (!fs.exists(src)) {
      c.err(`can't stat '${s}': No such file or directory`);
      status = 1;
      continue;
    }
    if (fs.isDir(src) && !recursive) {
      c.err(`omitting directory '${s}'`);
      status = 1;
      continue;
    }
    const target = fs.isDir(dest) ? `${dest}/${baseName(src)}`.replace('//', '/') : dest;
    const ok = fsOp(
      c,
      () => {
        copyTree(c, src, target);
        if (move) fs.remove(src);
      },
      `can't create '${target}'`,
    );
    if (!ok) status = 1;
  }
  yield* [];
  return status;
}

// eslint-disable-next-line require-yield
function* ls(c: CommandContext): Run {
  const args = c.argv.slice(1);
  const flags = args.filter((a) => /^-[a-zA-Z1]+$/.test(a)).join('');
  const all = flags.includes('a');
  const long = flags.includes('l');
  const targets = args.filter((a) => !/^-[a-zA-Z1]+$/.test(a));
  const fs = c.host.fs;
  let status = 0;
  const line = (p: string, name: string) => {
    if (!long) return name;
    const dir = fs.isDir(p);
    const size = dir ? 4096 : (fs.read(p) ?? '').length;
    const date = new Date(Clock.EPOCH_MS).toUTCString().slice(8, 11) + ' ' + ' 1 00:00';
    return `${dir ? 'drwxr-xr-x' : '-rw-r--r--'}    ${dir ? 2 : 1} root     root     ${String(size).padStart(8)} ${date} ${name}`;
  };
  const list = targets.length ? targets : ['.'];
  list.forEach((t, idx) => {
    const p = c.path(t);
    if (!fs.exists(p)) {
      c.err(`${t}: No such file or directory`);
      status = 1;
      return;
    }
    if (!fs.isDir(p)) {
      c.io.stdout.write(line(p, t) + '\n');
      return;
    }
    if (list.length > 1) c.io.stdout.write(`${idx ? '\n' : ''}${t}:\n`);
    const names = fs.list(p).filter((n) => all || !n.startsWith('.'));
    if (long) c.io.stdout.write(`total ${names.length * 4}\n`);
    if (all) names.unshift('.', '..');
    // Not a tty: one name per line, as `ls` does when its output is a pipe or a log.
    for (const n of names) c.io.stdout.write(line(`${p}/${n}`.replace('//', '/'), n) + '\n');
  });
  return status;
}

// ---- environment and identity ----

// eslint-disable-next-line require-yield
function* envCmd(c: CommandContext): Run {
  const args = c.argv.slice(1);
  if (c.argv[0].endsWith('printenv') && args.length) {
    let status = 0;
    for (const a of args) {
      if (a in c.env) c.io.stdout.write(c.env[a] + '\n');
      else status = 1;
    }
    return status;
  }
  for (const [k, v] of Object.entries(c.env)) c.io.stdout.write(`${k}=${v}\n`);
  return 0;
}

const fixed =
  (text: string): Program =>
  // eslint-disable-next-line require-yield
  function* (c) {
    c.io.stdout.write(text);
    return 0;
  };

// eslint-disable-next-line require-yield
function* hostname(c: CommandContext): Run {
  if (c.argv[1] === '-i') {
    // The pod IP, from the /etc/hosts the kubelet writes (`10.244.1.5\tweb-1`).
    const line = (c.host.fs.read('/etc/hosts') ?? '').split('\n').find((l) => l.split(/\s+/).slice(1).includes(c.host.hostname));
    if (!line) {
      c.err('hostname: Unknown host');
      return 1;
    }
    c.io.stdout.write(line.split(/\s+/)[0] + '\n');
    return 0;
  }
  c.io.stdout.write(c.host.hostname + '\n');
  return 0;
}

// eslint-disable-next-line require-yield
function* uname(c: CommandContext): Run {
  const a = c.argv.slice(1).join('');
  const parts = a.includes('a') ? ['Linux', c.host.hostname, '6.8.0', '#1 SMP', 'x86_64', 'GNU/Linux'] : a.includes('r') ? ['6.8.0'] : a.includes('m') ? ['x86_64'] : ['Linux'];
  c.io.stdout.write(parts.join(' ') + '\n');
  return 0;
}

/** `date`, `date +%s`, `date -u +%Y-%m-%dT%H:%M:%SZ`: the virtual wall clock. */
// eslint-disable-next-line require-yield
function* date(c: CommandContext): Run {
  const fmt = c.argv.slice(1).find((a) => a.startsWith('+'));
  if (!fmt) {
    c.io.stdout.write(c.host.date() + '\n');
    return 0;
  }
  c.io.stdout.write(formatDate(fmt.slice(1), c.host.now()) + '\n');
  return 0;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime subset over virtual time (UTC). */
export function formatDate(fmt: string, nowMs: number): string {
  const d = new Date(Clock.EPOCH_MS + nowMs);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%' || i + 1 >= fmt.length) {
      out += ch;
      continue;
    }
    const k = fmt[++i];
    out += dateField(d, k) ?? `%${k}`;
  }
  return out;
}

const p2 = (n: number) => (n < 10 ? '0' : '') + n;

function dateField(d: Date, k: string): string | undefined {
  switch (k) {
    case 'Y': return String(d.getUTCFullYear());
    case 'm': return p2(d.getUTCMonth() + 1);
    case 'd': return p2(d.getUTCDate());
    case 'e': return String(d.getUTCDate()).padStart(2);
    case 'H': return p2(d.getUTCHours());
    case 'M': return p2(d.getUTCMinutes());
    case 'S': return p2(d.getUTCSeconds());
    case 's': return String(Math.floor(d.getTime() / 1000));
    case 'N': return String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0');
    case 'T': return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    case 'F': return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
    case 'a': return DAYS[d.getUTCDay()];
    case 'b': return MONTHS[d.getUTCMonth()];
    case 'Z': return 'UTC';
    case 'z': return '+0000';
    case '%': return '%';
    case 'n': return '\n';
  }
  return undefined;
}

// eslint-disable-next-line require-yield
function* seq(c: CommandContext): Run {
  const nums = c.argv.slice(1).map(Number);
  if (!nums.length || nums.some((n) => Number.isNaN(n))) {
    c.err(`invalid number '${c.argv.slice(1).find((a) => Number.isNaN(Number(a))) ?? ''}'`);
    return 1;
  }
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : nums;
  let out = '';
  for (let i = first, n = 0; step > 0 ? i <= last : i >= last; i += step, n++) {
    if (n > 100_000 || step === 0) break;
    out += `${i}\n`;
  }
  c.io.stdout.write(out);
  return 0;
}

// eslint-disable-next-line require-yield
function* expr(c: CommandContext): Run {
  const a = c.argv.slice(1);
  let v: string | number;
  if (a.length === 1) v = a[0];
  else if (a.length === 3) {
    const [x, op, y] = a;
    const nx = Number(x);
    const ny = Number(y);
    const numeric = /^-?\d+$/.test(x) && /^-?\d+$/.test(y);
    switch (op) {
      case '+': case '-': case '*': case '/': case '%':
        if (!numeric) {
          c.err('non-integer argument');
          return 2;
        }
        if ((op === '/' || op === '%') && ny === 0) {
          c.err('division by zero');
          return 2;
        }
        v = op === '+' ? nx + ny : op === '-' ? nx - ny : op === '*' ? nx * ny : op === '/' ? Math.trunc(nx / ny) : nx % ny;
        break;
      case '=': v = x === y ? 1 : 0; break;
      case '!=': v = x !== y ? 1 : 0; break;
      case '<': v = (numeric ? nx < ny : x < y) ? 1 : 0; break;
      case '>': v = (numeric ? nx > ny : x > y) ? 1 : 0; break;
      case '<=': v = (numeric ? nx <= ny : x <= y) ? 1 : 0; break;
      case '>=': v = (numeric ? nx >= ny : x >= y) ? 1 : 0; break;
      default:
        c.err('syntax error');
        return 2;
    }
  } else {
    c.err('syntax error');
    return 2;
  }
  c.io.stdout.write(`${v}\n`);
  return v === 0 || v === '' || v === '0' ? 1 : 0;
}

// eslint-disable-next-line require-yield
function* basename(c: CommandContext): Run {
  let b = baseName(c.argv[1]?.replace(/\/+$/, '') ?? '');
  if (c.argv[2] && b.endsWith(c.argv[2])) b = b.slice(0, -c.argv[2].length);
  c.io.stdout.write(b + '\n');
  return 0;
}

// eslint-disable-next-line require-yield
function* dirname(c: CommandContext): Run {
  const p = (c.argv[1] ?? '.').replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  c.io.stdout.write((i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i)) + '\n');
  return 0;
}

/** `timeout [-s SIG] DURATION COMMAND…`: run COMMAND, cut it off (exit 124) when its time runs out. */
function* timeout(c: CommandContext): Run {
  const args = c.argv.slice(1);
  let i = 0;
  while (args[i]?.startsWith('-') && args[i] !== '--') i += args[i] === '-s' || args[i] === '-k' ? 2 : 1;
  if (args[i] === '--') i++;
  const limit = parseSleep([args[i] ?? '']);
  const argv = args.slice(i + 1);
  if (limit === undefined || !argv.length || !c.shell) {
    c.io.stderr.write('BusyBox v1.36.1 multi-call binary.\n\nUsage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n');
    return 1;
  }
  // Drive the command ourselves so its sleeps count against the budget.
  const gen = c.shell.invoke(argv, c.io);
  let budget = limit;
  let input: unknown;
  for (;;) {
    const r = gen.next(input);
    input = undefined;
    if (r.done) return r.value;
    const e = r.value;
    if (e.t === 'sleep' || e.t === 'block' || e.t === 'tick') {
      const ms = e.t === 'sleep' ? e.ms : e.t === 'tick' ? 1 : Infinity;
      if (ms >= budget) {
        if (budget > 0 && budget !== Infinity) yield { t: 'sleep', ms: budget };
        return 124;
      }
      budget -= ms;
      yield e;
    } else input = yield e;
  }
}

/** busybox `ps`: PID 1 of the container and the caller. */
// eslint-disable-next-line require-yield
function* ps(c: CommandContext): Run {
  const main = pid1ByFs.get(c.host.fs);
  const row = (pid: number, cmd: string) => `${String(pid).padStart(5)} root      0:00 ${cmd}\n`;
  let out = 'PID   USER     TIME  COMMAND\n';
  if (main && !main.dead && main !== c.rt) out += row(1, main.commandLine);
  out += row(c.pid, c.argv.join(' '));
  c.io.stdout.write(out);
  return 0;
}

/** `stress --vm N --vm-bytes 150M` (polinux/stress): holds that much memory until killed. */
function* stress(c: CommandContext): Run {
  claimPid1(c, () => {});
  const args = c.argv.slice(1);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const workers = Number(get('--vm') ?? get('-m') ?? 0);
  const bytesText = get('--vm-bytes') ?? '256M';
  const m = /^(\d+(?:\.\d+)?)([bBkKmMgG]?)$/.exec(bytesText);
  const unit = m ? { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as 'k'] : 1;
  const bytes = m ? Math.round(Number(m[1]) * unit) : 0;
  const cpu = Number(get('--cpu') ?? get('-c') ?? 0);
  c.io.stdout.write(`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${workers} vm, 0 hdd\n`);
  c.host.setMemory(workers * bytes + 1024 * 1024);
  const timeout = get('--timeout') ?? get('-t');
  if (timeout) {
    yield { t: 'sleep', ms: (parseSleep([timeout]) ?? 0) };
    c.host.setMemory(1024 * 1024);
    c.io.stdout.write(`stress: info: [1] successful run completed in ${parseSleep([timeout])! / 1000}s\n`);
    return 0;
  }
  yield { t: 'block' };
  return 0;
}

// ---- network ----

interface Url {
  host: string;
  port: number;
  path: string;
}

export function parseUrl(u: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(u);
  if (!m || !m[2]) return undefined;
  const port = m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80;
  return { host: m[2], port, path: m[4] || '/' };
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
export const reason = (s: number) => REASONS[s] ?? '';

/** Connect, taking virtual time for a timeout as the tool would wait for it. */
function* connect(c: CommandContext, url: Url, timeoutMs: number, userAgent: string): Run<ConnectResult> {
  const r = c.host.connect(url.host, url.port, url.path, { userAgent, method: 'GET' });
  if (!r.ok && r.error === 'timeout') yield { t: 'sleep', ms: timeoutMs };
  return r;
}

function* wget(c: CommandContext): Run {
  const args = c.argv.slice(1);
  let quiet = false;
  let out: string | undefined;
  let spider = false;
  let timeoutS = 900;
  let urlText: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-O' || a === '--output-document') out = args[++i];
    else if (a.startsWith('-O') && a.length > 2) out = a.slice(2);
    else if (a === '-qO-' || a === '-qO') {
      quiet = true;
      out = a === '-qO-' ? '-' : args[++i];
    } else if (a.startsWith('--output-document=')) out = a.slice(18);
    else if (a === '--spider' || a === '-s') spider = true;
    else if (a === '-T' || a === '--timeout') timeoutS = Number(args[++i]);
    else if (a.startsWith('--timeout=')) timeoutS = Number(a.slice(10));
    else if (a.startsWith('-T')) timeoutS = Number(a.slice(2));
    else if (a.startsWith('-')) continue;
    else urlText = a;
  }
  const url = urlText ? parseUrl(urlText) : undefined;
  if (!url) {
    c.io.stderr.write('BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  if (!quiet) c.io.stderr.write(`Connecting to ${url.host}${url.port !== 80 ? `:${url.port}` : ''} (${url.host}:${url.port})\n`);
  const r = yield* connect(c, url, timeoutS * 1000, 'Wget');
  if (!r.ok) {
    if (r.error === 'unresolved') c.err(`bad address '${url.host}'`);
    else if (r.error === 'refused') c.err(`can't connect to remote host (${url.host}): Connection refused`);
    else c.err('download timed out');
    return 1;
  }
  const { status, body } = r.response;
  if (status >= 400) {
    c.err(`server returned error: HTTP/1.1 ${status} ${reason(status)}`);
    return 1;
  }
  if (spider) {
    if (!quiet) c.io.stderr.write('remote file exists\n');
    return 0;
  }
  const file = out ?? (baseName(url.path.split('?')[0]) || 'index.html');
  if (file === '-') {
    if (!quiet) c.io.stderr.write('writing to stdout\n');
    c.io.stdout.write(body);
    if (!quiet) c.io.stderr.write('written to stdout\n');
    return 0;
  }
  if (!quiet) c.io.stderr.write(`saving to '${file}'\n`);
  if (!fsOp(c, () => c.host.fs.write(c.path(file), body), `can't open '${file}'`)) return 1;
  if (!quiet) c.io.stderr.write(`'${file}' saved\n`);
  return 0;
}

function* curl(c: CommandContext): Run {
  const args = c.argv.slice(1);
  let silent = false;
  let showErr = false;
  let fail = false;
  let head = false;
  let out: string | undefined;
  let maxS: number | undefined;
  let connectS: number | undefined;
  let urlText: string | undefined;
  let writeOut: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output') out = args[++i];
    else if (a === '-m' || a === '--max-time') maxS = Number(args[++i]);
    else if (a === '--connect-timeout') connectS = Number(args[++i]);
    else if (a === '-w' || a === '--write-out') writeOut = args[++i];
    else if (a === '-H' || a === '-X' || a === '-d' || a === '-A' || a === '--header' || a === '--data') i++;
    else if (a === '--silent') silent = true;
    else if (a === '--fail') fail = true;
    else if (a === '--head') head = true;
    else if (a === '--show-error') showErr = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 's') silent = true;
        else if (f === 'S') showErr = true;
        else if (f === 'f') fail = true;
        else if (f === 'I') head = true;
        else if (f === 'o') out = args[++i];
        else if (f === 'm') maxS = Number(args[++i]);
      }
    } else if (!a.startsWith('-')) urlText = a;
  }
  const printErr = (code: number, msg: string) => {
    if (!silent || showErr) c.io.stderr.write(`curl: (${code}) ${msg}\n`);
    return code;
  };
  if (!urlText) {
    c.io.stderr.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const url = parseUrl(urlText);
  if (!url) return printErr(3, 'URL rejected: Malformed input to a URL function');
  const timeoutMs = Math.min((maxS ?? Infinity) * 1000, (connectS ?? 300) * 1000);
  const r = yield* connect(c, url, timeoutMs, 'curl/8.5.0');
  if (!r.ok) {
    if (r.error === 'unresolved') return printErr(6, `Could not resolve host: ${url.host}`);
    if (r.error === 'refused') return printErr(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`);
    if (maxS !== undefined) return printErr(28, `Operation timed out after ${timeoutMs} milliseconds with 0 bytes received`);
    return printErr(28, `Failed to connect to ${url.host} port ${url.port} after ${timeoutMs} ms: Timeout was reached`);
  }
  const { status, body } = r.response;
  if (fail && status >= 400) return printErr(22, `The requested URL returned error: ${status}`);
  const text = head ? `HTTP/1.1 ${status} ${reason(status)}\r\nContent-Length: ${body.length}\r\n\r\n` : body;
  if (out && out !== '-') {
    if (!fsOp(c, () => c.host.fs.write(c.path(out), text), out)) return 23;
  } else c.io.stdout.write(text);
  if (writeOut) c.io.stdout.write(writeOut.replace(/%\{http_code\}/g, String(status)).replace(/\\n/g, '\n'));
  return 0;
}

function* nc(c: CommandContext): Run {
  const args = c.argv.slice(1);
  let zero = false;
  let verbose = false;
  let waitS = 5;
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-w') waitS = Number(args[++i]);
    else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('z')) zero = true;
      if (a.includes('v')) verbose = true;
    } else pos.push(a);
  }
  const [host, portText] = pos;
  if (!host || !portText) {
    c.io.stderr.write('BusyBox v1.36.1 multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n');
    return 1;
  }
  const r = yield* connect(c, { host, port: Number(portText), path: '' }, waitS * 1000, 'nc');
  if (r.ok) {
    if (verbose) c.io.stderr.write(`${host} (${host}:${portText}) open\n`);
    if (!zero && r.response.body) c.io.stdout.write(r.response.body);
    return 0;
  }
  if (r.error === 'unresolved') c.err(`bad address '${host}'`);
  else if (r.error === 'timeout') c.err('timed out');
  else if (verbose || !zero) c.err(`can't connect to remote host (${host}): Connection refused`);
  return 1;
}

/**
 * busybox 1.28 `nslookup` (the kubernetes.io init-container example pins busybox:1.28). Names are
 * resolved with `host.resolve` when the host offers it; otherwise through `host.connect(name, 0, '')`
 * (`unresolved` = NXDOMAIN) and the answer's address is not printed — a simplification.
 */
// eslint-disable-next-line require-yield
function* nslookup(c: CommandContext): Run {
  const name = c.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) {
    c.io.stderr.write('BusyBox v1.28.4 multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n');
    return 1;
  }
  c.io.stdout.write('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n');
  let address: string | undefined;
  let found: boolean;
  if (c.host.resolve) {
    address = c.host.resolve(name);
    found = address !== undefined;
  } else {
    const r = c.host.connect(name, 0, '');
    found = r.ok || r.error !== 'unresolved';
  }
  if (!found) {
    c.io.stderr.write(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  c.io.stdout.write(`Name:      ${name}\n${address ? `Address 1: ${address}${/^[\d.]+$/.test(name) ? '' : ` ${name}`}\n` : ''}`);
  return 0;
}

// ---- shells ----

/** `sh -c 'script' [name [args…]]`, `sh file [args…]`, or bare `sh` (reads stdin; none → exits 0). */
export function shellProgram(flavour: 'sh' | 'bash', table: () => import('./interpreter').CommandTable): Program {
  return function* (c) {
    const args = c.argv.slice(1);
    let script: string | undefined;
    let errexit = false;
    let nounset = false;
    let xtrace = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '-c') {
        script = args[++i];
        if (script === undefined) {
          c.io.stderr.write(`${flavour}: -c requires an argument\n`);
          return 2;
        }
        i++;
        break;
      }
      if (/^-[a-zA-Z]+$/.test(a)) {
        if (a.includes('e')) errexit = true;
        if (a.includes('u')) nounset = true;
        if (a.includes('x')) xtrace = true;
        if (a.includes('c')) {
          script = args[++i];
          i++;
          break;
        }
        continue;
      }
      if (a === '--') {
        i++;
      }
      break;
    }
    const rest = args.slice(i);
    const sh = new Shell(c.rt, c.host, table(), flavour, c.env, c.pid);
    sh.cwd = c.cwd;
    sh.errexit = errexit;
    sh.nounset = nounset;
    sh.xtrace = xtrace;
    if (c.pid1) {
      sh.pid1 = true;
      c.rt.disposition = (sig) => sh.deliver(sig);
    }
    if (script === undefined) {
      if (rest.length) {
        const file = c.path(rest[0]);
        const src = c.host.fs.read(file);
        if (src === undefined) {
          c.io.stderr.write(`${flavour}: can't open '${rest[0]}': No such file or directory\n`);
          return 2;
        }
        sh.arg0 = rest[0];
        sh.positional = rest.slice(1);
        return yield* sh.runScript(src, c.io);
      }
      // No tty and (usually) no stdin: the shell reads EOF and exits 0 — why a bare busybox pod completes.
      // With `stdin: true` the input stays open and the shell waits for commands until killed.
      if (c.io.stdin.waiting) {
        claimPid1(c);
        yield { t: 'block' };
      }
      return yield* sh.runScript(c.io.stdin.readAll(), c.io);
    }
    if (rest.length) {
      sh.arg0 = rest[0];
      sh.positional = rest.slice(1);
    }
    sh.execLast = true;
    return yield* sh.runScript(script, c.io);
  };
}

// ---- builtins ----

// eslint-disable-next-line require-yield
function* echo(c: CommandContext): Run {
  let args = c.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    if (args[0].includes('E')) escapes = false;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    const r = unescape(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  c.io.stdout.write(text + (newline ? '\n' : ''));
  return 0;
}

/** Backslash escapes of `echo -e` and `printf`; `\c` stops output. */
function unescape(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const n = s[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };
    if (n in simple) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (n === '0' || /[0-7]/.test(n)) {
      const m = /^0?[0-7]{0,3}/.exec(s.slice(i))![0];
      out += String.fromCharCode(parseInt(m || '0', 8));
      i += Math.max(0, m.length - 1);
    } else out += '\\' + n;
  }
  return { text: out, stop: false };
}

// eslint-disable-next-line require-yield
function* printf(c: CommandContext): Run {
  const [fmt, ...args] = c.argv.slice(1);
  if (fmt === undefined) {
    c.io.stderr.write('printf: usage: printf FORMAT [ARGUMENT...]\n');
    return 1;
  }
  let out = '';
  let i = 0;
  let status = 0;
  do {
    const used = i;
    out += fmt.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdibxXofcu%])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const arg = args[i++] ?? '';
      let s: string;
      if (conv === 's' || conv === 'c') s = conv === 'c' ? arg.slice(0, 1) : prec !== undefined ? arg.slice(0, Number(prec)) : arg;
      else if (conv === 'b') s = unescape(arg).text;
      else {
        const n = arg === '' ? 0 : Number(arg);
        if (Number.isNaN(n)) {
          c.err(`invalid number '${arg}'`);
          status = 1;
        }
        const v = Number.isNaN(n) ? 0 : n;
        s = conv === 'f' ? v.toFixed(prec !== undefined ? Number(prec) : 6) : conv === 'x' ? Math.trunc(v).toString(16) : conv === 'X' ? Math.trunc(v).toString(16).toUpperCase() : conv === 'o' ? Math.trunc(v).toString(8) : String(Math.trunc(v));
      }
      const w = Number(width || 0);
      if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
      return s;
    });
    if (i === used) break;
  } while (i < args.length);
  const r = unescape(out);
  c.io.stdout.write(r.text);
  return status;
}

/** `test` / `[`: the POSIX operators, with busybox's messages. */
// eslint-disable-next-line require-yield
function* test(c: CommandContext): Run {
  let args = c.argv.slice(1);
  if (c.argv[0] === '[') {
    if (args[args.length - 1] !== ']') {
      c.io.stderr.write('sh: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evalTest(args, c) ? 0 : 1;
  } catch (e) {
    c.io.stderr.write(`sh: ${e instanceof Error ? e.message : 'syntax error'}\n`);
    return 2;
  }
}

/** `[[ … ]]`: like test, with `&&`, `||`, `==` glob patterns and `=~` regexes. */
// eslint-disable-next-line require-yield
function* doubleBracket(c: CommandContext): Run {
  const args = c.argv.slice(1);
  if (args[args.length - 1] !== ']]') {
    c.io.stderr.write('sh: syntax error: unexpected end of file (expecting "]]")\n');
    return 2;
  }
  const body = args.slice(0, -1).map((a) => (a === '&&' ? '-a' : a === '||' ? '-o' : a));
  try {
    return evalTest(body, c, true) ? 0 : 1;
  } catch (e) {
    c.io.stderr.write(`sh: ${e instanceof Error ? e.message : 'syntax error'}\n`);
    return 2;
  }
}

function evalTest(args: string[], c: CommandContext, extended = false): boolean {
  let i = 0;
  const fs = c.host.fs;
  const num = (s: string) => {
    if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`${s}: bad number`);
    return Number(s);
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) throw new Error('syntax error');
    if (a === '!') {
      i++;
      return !primary();
    }
    if (a === '(' ) {
      i++;
      const v = orExpr();
      if (args[i++] !== ')') throw new Error('syntax error');
      return v;
    }
    const op = args[i + 1];
    const BIN = ['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '<', '>', '=~'];
    if (op !== undefined && BIN.includes(op) && args[i + 2] !== undefined) {
      const b = args[i + 2];
      i += 3;
      if (extended && (op === '==' || op === '=' || op === '!=')) return globToRegExp(b).test(a) === (op !== '!=');
      switch (op) {
        case '=~':
          try {
            return new RegExp(b).test(a);
          } catch {
            throw new Error('invalid regex');
          }
        case '=': case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '>': return a > b;
        case '-eq': return num(a) === num(b);
        case '-ne': return num(a) !== num(b);
        case '-lt': return num(a) < num(b);
        case '-le': return num(a) <= num(b);
        case '-gt': return num(a) > num(b);
        case '-ge': return num(a) >= num(b);
      }
    }
    if (/^-[a-zA-Z]$/.test(a) && args[i + 1] !== undefined) {
      const v = args[i + 1];
      i += 2;
      const p = c.path(v);
      switch (a) {
        case '-z': return v === '';
        case '-n': return v !== '';
        case '-e': case '-r': case '-w': return fs.exists(p);
        case '-f': return fs.exists(p) && !fs.isDir(p);
        case '-d': return fs.isDir(p);
        case '-s': return (fs.read(p) ?? '').length > 0;
        case '-x': return fs.exists(p) && (fs.isDir(p) || p.includes('/bin/'));
        case '-L': case '-h': case '-p': case '-S': case '-b': case '-c': return false;
        case '-t': return false;
      }
      throw new Error(`${a}: unknown operand`);
    }
    i++;
    return a !== '';
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (args[i] === '-a') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (args[i] === '-o') {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  if (!args.length) return false;
  const v = orExpr();
  if (i !== args.length) throw new Error(`${args[i]}: unknown operand`);
  return v;
}

function needShell(c: CommandContext): Shell {
  if (!c.shell) throw new ExitSignal(2);
  return c.shell;
}

// eslint-disable-next-line require-yield
function* exitB(c: CommandContext): Run {
  const sh = needShell(c);
  const a = c.argv[1];
  if (a !== undefined && !/^-?\d+$/.test(a)) {
    sh.report(c.io, `exit: Illegal number: ${a}`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(a === undefined ? sh.status : ((Number(a) % 256) + 256) % 256);
}

// eslint-disable-next-line require-yield
function* trap(c: CommandContext): Run {
  const sh = needShell(c);
  const args = c.argv.slice(1);
  if (!args.length || args[0] === '-p') {
    for (const [k, v] of sh.traps) c.io.stdout.write(`trap -- '${v}' ${k}\n`);
    return 0;
  }
  let action: string | undefined = args[0];
  let sigs = args.slice(1);
  // `trap N…` / `trap - SIG`: reset to default.
  if (/^\d+$/.test(action) || action === '-') {
    if (action !== '-') sigs = args;
    action = undefined;
  }
  let status = 0;
  for (const s of sigs) {
    const key = signalKey(s);
    if (!key) {
      sh.report(c.io, `trap: ${s}: bad trap`);
      status = 1;
      continue;
    }
    if (action === undefined) sh.traps.delete(key);
    else sh.traps.set(key, action);
  }
  return status;
}

function* wait(c: CommandContext): Run {
  const sh = needShell(c);
  const pids = c.argv.slice(1).map((a) => Number(a.replace(/^%/, ''))).filter((n) => !Number.isNaN(n));
  return yield* sh.waitJobs(pids);
}

// eslint-disable-next-line require-yield
function* kill(c: CommandContext): Run {
  const sh = needShell(c);
  let args = c.argv.slice(1);
  let key = 'TERM';
  if (args[0] === '-l') {
    c.io.stdout.write('HUP INT QUIT KILL USR1 USR2 TERM\n');
    return 0;
  }
  if (args[0] === '-s') {
    key = signalKey(args[1] ?? '') ?? '';
    args = args.slice(2);
  } else if (args[0]?.startsWith('-') && args[0] !== '--') {
    const k = signalKey(args[0].slice(1));
    if (args[0] === '-0') key = '0';
    else if (!k) {
      sh.report(c.io, `kill: bad signal name '${args[0].slice(1)}'`);
      return 1;
    } else key = k;
    args = args.slice(1);
  }
  if (!args.length) {
    sh.report(c.io, 'kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ... or kill -l [sigspec]');
    return 1;
  }
  let status = 0;
  for (const a of args) {
    const pid = a.startsWith('%') ? sh.jobs[Number(a.slice(1)) - 1]?.pid : Number(a);
    const main = pid === 1 && !sh.pid1 ? pid1ByFs.get(c.host.fs) : undefined;
    if (main && main !== c.rt) {
      // From `kubectl exec`: signal the container's PID 1. Without a handler it ignores TERM (it is init).
      if (main.dead) {
        sh.report(c.io, `kill: can't kill pid ${a}: No such process`);
        status = 1;
      } else if (key === 'KILL') main.exit(137);
      else if (key !== '0') main.signal(`SIG${key}` as Signal);
      continue;
    }
    if (pid === sh.pid || pid === 1) {
      // Signalling ourselves (PID 1): the same rule as the kubelet's signal — only a trap acts.
      if (key === '0') continue;
      if (key === 'KILL') throw new ExitSignal(137);
      if (sh.pid1 || pid === sh.pid) sh.deliver(`SIG${key}` as Signal);
      continue;
    }
    const job = sh.jobs.find((j) => j.pid === pid);
    if (!job || job.state === 'done') {
      sh.report(c.io, `kill: can't kill pid ${a}: No such process`);
      status = 1;
      continue;
    }
    if (key !== '0') c.rt.kill(job, 128 + signalNumber(key));
  }
  return status;
}

// eslint-disable-next-line require-yield
function* exportB(c: CommandContext): Run {
  const sh = needShell(c);
  for (const a of c.argv.slice(1)) {
    if (a === '-p') continue;
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (eq >= 0) sh.vars.set(name, a.slice(eq + 1));
    sh.exported.add(name);
  }
  return 0;
}

// eslint-disable-next-line require-yield
function* unset(c: CommandContext): Run {
  const sh = needShell(c);
  for (const a of c.argv.slice(1)) {
    if (a === '-f') continue;
    sh.vars.delete(a);
    sh.exported.delete(a);
    sh.funcs.delete(a);
  }
  return 0;
}

// eslint-disable-next-line require-yield
function* set(c: CommandContext): Run {
  const sh = needShell(c);
  const args = c.argv.slice(1);
  if (!args.length) {
    for (const [k, v] of [...sh.vars].sort()) c.io.stdout.write(`${k}='${v}'\n`);
    return 0;
  }
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-o' || a === '+o') {
      const opt = args[++i];
      if (opt === 'errexit') sh.errexit = a === '-o';
      if (opt === 'nounset') sh.nounset = a === '-o';
      continue;
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      const on = a[0] === '-';
      if (a.includes('e')) sh.errexit = on;
      if (a.includes('u')) sh.nounset = on;
      if (a.includes('x')) sh.xtrace = on;
      continue;
    }
    break;
  }
  if (i < args.length || args.includes('--')) sh.positional = args.slice(i);
  return 0;
}

// eslint-disable-next-line require-yield
function* shift(c: CommandContext): Run {
  const sh = needShell(c);
  const n = Number(c.argv[1] ?? 1);
  if (n > sh.positional.length) return 1;
  sh.positional = sh.positional.slice(n);
  return 0;
}

// eslint-disable-next-line require-yield
function* cd(c: CommandContext): Run {
  const sh = needShell(c);
  const target = c.argv[1] ?? sh.vars.get('HOME') ?? '/';
  const p = c.path(target);
  if (!c.host.fs.isDir(p)) {
    sh.report(c.io, `cd: can't cd to ${target}: No such file or directory`);
    return 2;
  }
  sh.cwd = p;
  sh.vars.set('PWD', p);
  return 0;
}

// eslint-disable-next-line require-yield
function* pwd(c: CommandContext): Run {
  c.io.stdout.write(c.cwd + '\n');
  return 0;
}

// eslint-disable-next-line require-yield
function* loopCtl(c: CommandContext): Run {
  const sh = needShell(c);
  return sh.breakLoop(Number(c.argv[1] ?? 1), c.argv[0] === 'continue');
}

// eslint-disable-next-line require-yield
function* returnB(c: CommandContext): Run {
  const sh = needShell(c);
  return sh.returnFn(c.argv[1] !== undefined ? Number(c.argv[1]) : sh.status);
}

function* evalB(c: CommandContext): Run {
  const sh = needShell(c);
  return yield* sh.evalString(c.argv.slice(1).join(' '), c.io);
}

function* source(c: CommandContext): Run {
  const sh = needShell(c);
  const f = c.argv[1];
  const src = f ? c.host.fs.read(c.path(f)) : undefined;
  if (src === undefined) {
    sh.report(c.io, `.: can't open '${f ?? ''}'`);
    throw new ExitSignal(2);
  }
  return yield* sh.evalString(src, c.io);
}

function* exec(c: CommandContext): Run {
  const sh = needShell(c);
  if (c.argv.length < 2) {
    // `exec >/var/log/app.log 2>&1`: make the redirections permanent.
    sh.ioOverride = c.io;
    return 0;
  }
  const code = yield* sh.invoke(c.argv.slice(1), c.io, Object.entries(c.env).filter(([k]) => !sh.exported.has(k) || sh.vars.get(k) !== c.env[k]), true);
  throw new ExitSignal(code);
}

// eslint-disable-next-line require-yield
function* read(c: CommandContext): Run {
  const sh = needShell(c);
  const names = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  const line = c.io.stdin.readLine();
  if (line === undefined) return 1;
  const fields = line.trim().split(/[ \t]+/);
  const vars = names.length ? names : ['REPLY'];
  vars.forEach((n, i) => sh.vars.set(n, i === vars.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')));
  return 0;
}

const ok: Program = fixed('');
// eslint-disable-next-line require-yield
const falseP: Program = function* () {
  return 1;
};

/** Builtins: part of the shell, present in every image that has a shell. */
export const BUILTINS: Record<string, Program> = {
  ':': ok,
  true: ok,
  false: falseP,
  echo,
  printf,
  test,
  '[': test,
  '[[': doubleBracket,
  exit: exitB,
  trap,
  wait,
  kill,
  export: exportB,
  readonly: exportB,
  local: exportB,
  unset,
  set,
  shift,
  cd,
  pwd,
  break: loopCtl,
  continue: loopCtl,
  return: returnB,
  eval: evalB,
  '.': source,
  source,
  exec,
  read,
};

/** Utilities (busybox applets / coreutils), looked up by basename. */
export const UTILITIES: Record<string, Program> = {
  sleep,
  cat,
  head,
  tail,
  grep,
  wc,
  tee,
  touch,
  rm,
  rmdir,
  mkdir,
  cp: (c) => cpOrMv(c, false),
  mv: (c) => cpOrMv(c, true),
  ls,
  env: envCmd,
  printenv: envCmd,
  hostname,
  uname,
  date,
  seq,
  expr,
  basename,
  dirname,
  id: fixed('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n'),
  whoami: fixed('root\n'),
  true: ok,
  false: falseP,
  echo,
  printf,
  test,
  wget,
  curl,
  nc,
  nslookup,
  stress,
  ps,
  timeout,
};

/** Run a command line synchronously against a string stdin (test helper for pipelines). */
export function stdinOf(text: string): Stdin {
  return new Stdin(text);
}
export { StringSink };
export type { ProcessHost };
