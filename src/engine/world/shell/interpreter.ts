/**
 * The shell interpreter: runs a parsed script as a generator over virtual time (see runtime.ts).
 * It models busybox ash / dash as they run as PID 1 of a container: no job control, no tty,
 * SIGTERM ignored unless trapped, traps run between commands (never during a foreground `sleep`).
 */
import type { ProcessHost, Signal } from '../process';
import { FsError, normalizePath } from '../fs';
import type { AndOr, Command, List, Pipeline, Redirect, SimpleCommand, Word } from './ast';
import { parseScript, ShellSyntaxError } from './parser';
import {
  ExitSignal,
  INTERRUPTED,
  type IO,
  type ProcessRuntime,
  type Run,
  type Sink,
  STEPS_PER_TICK,
  Stdin,
  StringSink,
  type Thread,
} from './runtime';

/** What a command (builtin, utility or image program) gets when it runs. */
export interface CommandContext {
  argv: string[];
  io: IO;
  host: ProcessHost;
  rt: ProcessRuntime;
  /** The environment the command sees (exported variables plus prefix assignments). */
  env: Record<string, string>;
  cwd: string;
  /** True when this command is the container's PID 1 (it then receives the kubelet's signals). */
  pid1: boolean;
  /** The shell that runs it, if any. */
  shell?: Shell;
  /** Its process id ($$ of a shell it starts): the caller's own when exec'd. */
  pid: number;
  /** Resolve a path against cwd. */
  path(p: string): string;
  /** Print `name: message` on stderr. */
  err(message: string): void;
}

export type Program = (c: CommandContext) => Run;

/** The context object of one command run (a class, so no closures are allocated per command). */
class Ctx implements CommandContext {
  readonly host: ProcessHost;
  readonly rt: ProcessRuntime;
  readonly cwd: string;
  private envCache?: Record<string, string>;
  constructor(
    readonly argv: string[],
    readonly io: IO,
    readonly shell: Shell,
    private readonly assigns: [string, string][],
    readonly pid1: boolean,
    readonly pid: number,
  ) {
    this.host = shell.host;
    this.rt = shell.rt;
    this.cwd = shell.cwd;
  }
  /** Built on first use: most commands never look at their environment. */
  get env(): Record<string, string> {
    if (!this.envCache) {
      this.envCache = this.shell.env();
      for (const [k, v] of this.assigns) this.envCache[k] = v;
    }
    return this.envCache;
  }
  path(p: string): string {
    return normalizePath(p, this.cwd);
  }
  err(message: string): void {
    this.io.stderr.write(`${baseName(this.argv[0])}: ${message}\n`);
  }
}

class BreakSignal {
  constructor(
    readonly levels: number,
    readonly isContinue: boolean,
  ) {}
}
class ReturnSignal {
  constructor(readonly code: number) {}
}
/** An error the shell reports and that ends the command with a status (e.g. a bad redirect). */
export class ShellError {
  constructor(
    readonly message: string,
    readonly status: number,
    readonly fatal = false,
  ) {}
}

const SIGNUM: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15 };
const SIGNAME: Record<number, string> = Object.fromEntries(Object.entries(SIGNUM).map(([k, v]) => [v, k]));

/** Normalise `SIGTERM`, `TERM`, `15`, `EXIT`, `0` to a trap key (`TERM`, `EXIT`), or undefined. */
export function signalKey(s: string): string | undefined {
  const u = s.toUpperCase().replace(/^SIG/, '');
  if (u === 'EXIT' || u === '0') return 'EXIT';
  if (u in SIGNUM) return u;
  if (/^\d+$/.test(u) && SIGNAME[Number(u)]) return SIGNAME[Number(u)];
  return undefined;
}
export function signalNumber(key: string): number {
  return SIGNUM[key] ?? 15;
}

/** Lookup of commands by name, supplied by commands.ts and images.ts (keeps this file free of them). */
export interface CommandTable {
  /** Builtins run regardless of PATH. */
  builtin(name: string): Program | undefined;
  /** Utilities and image programs, found by basename; `available` says whether the image ships it. */
  program(name: string): Program | undefined;
  available(host: ProcessHost, name: string, env: Record<string, string>): boolean;
}

export class Shell {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  cwd = '/';
  status = 0;
  readonly traps = new Map<string, string>();
  readonly funcs = new Map<string, Command>();
  positional: string[] = [];
  /** $0 */
  arg0: string;
  lastBg?: Thread;
  jobs: Thread[] = [];
  readonly pending: string[] = [];
  private steps = 0;
  private stepBudget = STEPS_PER_TICK;
  private inTrap = false;
  /** `set -e` */
  errexit = false;
  /** `sh -c 'cmd'` with one simple command: exec it in place of the shell, as dash and bash do. */
  execLast = false;
  private execSimple = false;
  /** Whether this shell is PID 1 (receives kubelet signals). */
  pid1 = false;
  readonly pid: number;

  constructor(
    readonly rt: ProcessRuntime,
    readonly host: ProcessHost,
    readonly table: CommandTable,
    /** `sh` or `bash`: changes error wording. */
    readonly flavour: 'sh' | 'bash',
    env: Readonly<Record<string, string>>,
    pid?: number,
    /** The image's ENV, under `env` (avoids building a merged object per container). */
    baseEnv: Readonly<Record<string, string>> = {},
  ) {
    for (const src of [baseEnv, env]) {
      for (const k in src) {
        this.vars.set(k, src[k]);
        this.exported.add(k);
      }
    }
    if (!this.vars.has('PATH')) this.vars.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    if (!this.vars.has('HOME')) this.vars.set('HOME', '/root');
    if (!this.vars.has('HOSTNAME')) {
      this.vars.set('HOSTNAME', host.hostname);
      this.exported.add('HOSTNAME');
    }
    this.vars.set('IFS', ' \t\n');
    this.arg0 = flavour;
    this.pid = pid ?? rt.nextPid();
  }

  /** A copy for a subshell or background job: variables, functions and traps are copied, not shared. */
  clone(): Shell {
    const s = new Shell(this.rt, this.host, this.table, this.flavour, {}, this.pid);
    for (const [k, v] of this.vars) s.vars.set(k, v);
    for (const k of this.exported) s.exported.add(k);
    for (const [k, v] of this.funcs) s.funcs.set(k, v);
    // Traps are reset in subshells (POSIX), except that ignored signals stay ignored.
    for (const [k, v] of this.traps) if (v === '') s.traps.set(k, v);
    s.cwd = this.cwd;
    s.status = this.status;
    s.positional = [...this.positional];
    s.arg0 = this.arg0;
    s.errexit = this.errexit;
    return s;
  }

  env(): Record<string, string> {
    const e: Record<string, string> = {};
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) e[k] = v;
    }
    return e;
  }

  /** `sh: message` on stderr. */
  report(io: IO, message: string): void {
    io.stderr.write(`${this.flavour}: ${message}\n`);
  }

  /**
   * Run a script's source as the whole shell program: parse errors print and exit 2; `exit` and the
   * EXIT trap are honoured. Returns the shell's exit status.
   */
  *runScript(src: string, io: IO): Run {
    const list = this.parseOrReport(src, io);
    if (typeof list === 'number') return list;
    const only = list.items.length === 1 && !list.items[0].background ? list.items[0].andOr : undefined;
    this.execSimple =
      this.execLast && !!only && !only.rest.length && !only.first.negate && only.first.commands.length === 1 && only.first.commands[0].type === 'simple';
    let code: number;
    try {
      code = yield* this.runList(list, io);
    } catch (e) {
      if (e instanceof ExitSignal) code = e.code;
      else if (e instanceof BreakSignal) code = 0;
      else if (e instanceof ReturnSignal) code = e.code;
      else throw e;
    }
    return yield* this.runExitTrap(code, io);
  }

  /** The EXIT trap, once, when the shell ends; `exit N` inside it changes the status. */
  *runExitTrap(code: number, io: IO): Run {
    const action = this.traps.get('EXIT');
    if (!action) return code;
    this.traps.delete('EXIT');
    this.status = code;
    try {
      yield* this.evalString(action, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
    return code;
  }

  /** The kubelet's signal, when this shell is PID 1. */
  deliver(sig: Signal): void {
    const key = signalKey(sig)!;
    const action = this.traps.get(key);
    // No handler (or `trap '' TERM`): PID 1 ignores the signal. This is why `sh -c 'sleep 3600'`
    // takes the whole grace period to die — it is SIGKILLed at the end.
    if (!action) return;
    this.pending.push(key);
    const main = this.rt.main;
    if (main && main.state === 'waiting') this.rt.interrupt(main);
  }

  /** Run pending traps (between commands). */
  *runPendingTraps(io: IO): Run<void> {
    if (this.inTrap) return;
    while (this.pending.length) {
      const key = this.pending.shift()!;
      const action = this.traps.get(key);
      if (!action) continue;
      const saved = this.status;
      this.inTrap = true;
      try {
        yield* this.evalString(action, io);
      } finally {
        this.inTrap = false;
      }
      this.status = saved;
    }
  }

  /** Parse shell source; a syntax error is reported on stderr and gives exit status 2. */
  private parseOrReport(src: string, io: IO): List | 2 {
    try {
      return parseScript(src);
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        this.report(io, e.message);
        return 2;
      }
      throw e;
    }
  }

  *evalString(src: string, io: IO): Run {
    const list = this.parseOrReport(src, io);
    if (typeof list === 'number') return list;
    return yield* this.runList(list, io);
  }

  /** Set by `exec >file` (redirections without a command): they stay for the rest of the shell. */
  ioOverride?: IO;

  *runList(list: List, given: IO): Run {
    let status = this.status;
    for (const item of list.items) {
      const io = this.ioOverride ?? given;
      if (item.background) {
        const sub = this.clone();
        const job = this.rt.spawn(sub.runBackground(item.andOr, io));
        this.lastBg = job;
        this.jobs.push(job);
        status = 0;
      } else {
        status = yield* this.runAndOr(item.andOr, io);
      }
      this.status = status;
      if (this.pending.length) yield* this.runPendingTraps(io);
    }
    return status;
  }

  *runBackground(andOr: AndOr, io: IO): Run {
    try {
      return yield* this.runAndOr(andOr, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof BreakSignal || e instanceof ReturnSignal) return 0;
      throw e;
    }
  }

  *runAndOr(ao: AndOr, io: IO): Run {
    let status = yield* this.runPipeline(ao.first, io, ao.rest.length > 0);
    for (let i = 0; i < ao.rest.length; i++) {
      const { op, pipeline } = ao.rest[i];
      this.status = status;
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = yield* this.runPipeline(pipeline, io, i < ao.rest.length - 1);
    }
    if (status !== 0 && this.errexit && !this.inCondition && ao.rest.length === 0 && !ao.first.negate) {
      throw new ExitSignal(status);
    }
    return status;
  }

  private inCondition = false;

  /**
   * Pipes run their stages one after another, each reading the previous stage's whole output:
   * enough for `cat f | grep x | wc -l`, not for endless producers (a simplification).
   */
  *runPipeline(p: Pipeline, io: IO, _partOfAndOr: boolean): Run {
    let status: number;
    if (p.commands.length === 1) {
      status = yield* this.runCommand(p.commands[0], io);
    } else {
      let input = io.stdin;
      status = 0;
      for (let i = 0; i < p.commands.length; i++) {
        const last = i === p.commands.length - 1;
        const out = last ? io.stdout : new StringSink();
        const stage = this.clone();
        status = yield* stage.runCommandCaught(p.commands[i], { stdin: input, stdout: out, stderr: io.stderr });
        if (!last) input = new Stdin((out as StringSink).text);
      }
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  /** A command in a subshell context: `exit` ends only it. */
  *runCommandCaught(cmd: Command, io: IO): Run {
    try {
      return yield* this.runCommand(cmd, io);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
  }

  *runCommand(cmd: Command, io: IO): Run {
    if (++this.steps >= this.stepBudget) {
      // A loop without a sleep would never give the clock back: yield virtual time (see runtime.ts).
      this.steps = 0;
      const budget = yield { t: 'tick' };
      this.stepBudget = typeof budget === 'number' ? budget : STEPS_PER_TICK;
    }
    let rio = io;
    if (cmd.type !== 'simple' && cmd.redirs.length) {
      const r = yield* this.applyRedirs(cmd.redirs, io);
      if (typeof r === 'number') return r;
      rio = r;
    }
    try {
      switch (cmd.type) {
        case 'simple':
          return yield* this.runSimple(cmd, io);
        case 'if': {
          for (const c of cmd.clauses) {
            if ((yield* this.runCond(c.cond, rio)) === 0) return yield* this.runList(c.body, rio);
          }
          return cmd.elseBody ? yield* this.runList(cmd.elseBody, rio) : 0;
        }
        case 'while':
        case 'until': {
          const cond = cmd.cond;
          const wantZero = cmd.type === 'while';
          return yield* this.runLoop(cmd.body, rio, () => this.loopCondHolds(cond, rio, wantZero));
        }
        case 'for': {
          let items: string[] = [];
          if (cmd.items) for (const w of cmd.items) items.push(...(yield* this.expandWord(w, rio)));
          else items = [...this.positional];
          const name = cmd.name;
          let i = 0;
          return yield* this.runLoop(cmd.body, rio, () => {
            if (i >= items.length) return false;
            this.vars.set(name, items[i++]);
            return true;
          });
        }
        case 'case': {
          const subject = yield* this.expandNoSplit(cmd.subject, rio);
          for (const arm of cmd.arms) {
            for (const pw of arm.patterns) {
              const pat = yield* this.expandNoSplit(pw, rio);
              if (globToRegExp(pat).test(subject)) return yield* this.runList(arm.body, rio);
            }
          }
          return 0;
        }
        case 'group':
          return yield* this.runList(cmd.body, rio);
        case 'subshell':
          return yield* this.clone().runSubshell(cmd.body, rio);
        case 'function':
          this.funcs.set(cmd.name, cmd.body);
          return 0;
      }
    } catch (e) {
      if (e instanceof ShellError) {
        this.report(io, e.message);
        if (e.fatal) throw new ExitSignal(e.status);
        return e.status;
      }
      throw e;
    }
  }

  *runSubshell(body: List, io: IO): Run {
    try {
      const code = yield* this.runList(body, io);
      return yield* this.runExitTrap(code, io);
    } catch (e) {
      if (e instanceof ExitSignal) return yield* this.runExitTrap(e.code, io);
      throw e;
    }
  }

  /**
   * A loop (`while`, `until`, `for`): `nextPass` says whether to run the body again (a `while`/`until`
   * condition runs shell code; a `for` just binds its next item). `break N`/`continue N` end or skip
   * this loop and unwind N-1 outer ones; the status is the last completed pass's, 0 if none.
   */
  private *runLoop(body: List, rio: IO, nextPass: () => boolean | Run<boolean>): Run {
    let status = 0;
    this.loopDepth++;
    try {
      for (;;) {
        const pass = nextPass();
        if (!(typeof pass === 'boolean' ? pass : yield* pass)) break;
        try {
          status = yield* this.runList(body, rio);
        } catch (e) {
          if (!(e instanceof BreakSignal)) throw e;
          if (e.levels > 1) throw new BreakSignal(e.levels - 1, e.isContinue);
          if (!e.isContinue) break;
        }
      }
    } finally {
      this.loopDepth--;
    }
    return status;
  }

  /** A `while` condition holds when it exits 0; an `until` one when it does not. */
  private *loopCondHolds(cond: List, io: IO, wantZero: boolean): Run<boolean> {
    return ((yield* this.runCond(cond, io)) === 0) === wantZero;
  }

  private *runCond(list: List, io: IO): Run {
    const saved = this.inCondition;
    this.inCondition = true;
    try {
      return yield* this.runList(list, io);
    } finally {
      this.inCondition = saved;
    }
  }

  /** Open redirections; returns the new IO, or an exit status when one failed. */
  *applyRedirs(redirs: Redirect[], io: IO): Run<IO | number> {
    const fds: [Stdin, Sink, Sink] = [io.stdin, io.stdout, io.stderr];
    for (const r of redirs) {
      if (r.op === '<<') {
        let body = r.heredoc ?? '';
        const quoted = r.target.parts.some((p) => p.t === 'lit' && p.q);
        if (!quoted) body = yield* this.expandHeredoc(body, io);
        fds[r.fd ?? 0] = new Stdin(body);
        continue;
      }
      const target = yield* this.expandNoSplit(r.target, io);
      if (r.op === '<<<') {
        fds[r.fd ?? 0] = new Stdin(target + '\n');
        continue;
      }
      const fd = r.fd ?? (r.op === '<' || r.op === '<&' ? 0 : 1);
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') continue;
        const src = Number(target);
        if (src === 1 || src === 2) {
          if (fd === 1 || fd === 2) fds[fd] = fds[src];
          continue;
        }
        if (src === 0 && fd === 0) continue;
        if (!/^\d+$/.test(target)) {
          // `>& file` (bash): both to the file.
          const sink = this.openWrite(target, false, io);
          if (typeof sink === 'number') return sink;
          fds[1] = fds[2] = sink;
          continue;
        }
        this.report(io, `${target}: Bad file descriptor`);
        return 1;
      }
      if (r.op === '<') {
        const p = normalizePath(target, this.cwd);
        const content = this.host.fs.read(p);
        if (content === undefined) {
          this.report(io, `can't open ${target}: ${this.host.fs.isDir(p) ? 'Is a directory' : 'no such file'}`);
          return 1;
        }
        if (fd === 0) fds[0] = new Stdin(content);
        continue;
      }
      const sink = this.openWrite(target, r.op === '>>' || r.op === '&>>', io);
      if (typeof sink === 'number') return sink;
      if (r.op === '&>' || r.op === '&>>') fds[1] = fds[2] = sink;
      else if (fd === 1 || fd === 2) fds[fd] = sink;
    }
    return { stdin: fds[0], stdout: fds[1], stderr: fds[2] };
  }

  private openWrite(target: string, append: boolean, io: IO): Sink | number {
    if (target === '/dev/null') return { write: () => {} };
    if (target === '/dev/stdout' || target === '/proc/1/fd/1') return this.rt.main ? io.stdout : io.stdout;
    if (target === '/dev/stderr' || target === '/proc/1/fd/2') return io.stderr;
    const p = normalizePath(target, this.cwd);
    const fs = this.host.fs;
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    const fail = (why: string) => {
      this.report(io, `can't create ${target}: ${why}`);
      return 1;
    };
    if (fs.isDir(p)) return fail('Is a directory');
    if (!fs.isDir(parent)) return fail('nonexistent directory');
    try {
      if (!append || !fs.exists(p)) fs.write(p, '', append);
    } catch (e) {
      if (e instanceof FsError) return fail(e.message);
      throw e;
    }
    return {
      write: (text: string) => {
        try {
          fs.write(p, text, true);
        } catch {
          // The file vanished under a read-only remount or similar: output is lost, as with EIO.
        }
      },
    };
  }

  *runSimple(cmd: SimpleCommand, io: IO): Run {
    this.lastSubstStatus = undefined;
    const argv: string[] = [];
    // Inside `[[ ]]` there is no field splitting or globbing.
    if (cmd.words[0]?.raw === '[[') for (const w of cmd.words) argv.push(yield* this.expandNoSplit(w, io));
    else for (const w of cmd.words) argv.push(...(yield* this.expandWord(w, io)));
    if (this.xtrace && argv.length) io.stderr.write(`+ ${argv.join(' ')}\n`);
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, yield* this.expandNoSplit(a.value, io)]);

    if (!argv.length) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      if (cmd.redirs.length) {
        const r = yield* this.applyRedirs(cmd.redirs, io);
        if (typeof r === 'number') return r;
      }
      return this.lastSubstStatus ?? 0;
    }
    const exec = this.execSimple;
    this.execSimple = false;
    const r = cmd.redirs.length ? yield* this.applyRedirs(cmd.redirs, io) : io;
    if (typeof r === 'number') return r;
    return yield* this.invoke(argv, r, assigns, exec);
  }

  private lastSubstStatus?: number;

  /** Run a command by name: function, builtin, or program from the image. */
  *invoke(argv: string[], io: IO, assigns: [string, string][] = [], exec = false): Run {
    const name = argv[0];
    const fn = this.funcs.get(name);
    if (fn) {
      const saved = this.positional;
      this.positional = argv.slice(1);
      try {
        return yield* this.runCommand(fn, io);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.code;
        throw e;
      } finally {
        this.positional = saved;
      }
    }
    const builtin = this.table.builtin(name);
    if (builtin) return yield* builtin(new Ctx(argv, io, this, assigns, false, this.pid));
    const prog = this.table.program(baseName(name));
    const path = assigns.find(([k]) => k === 'PATH')?.[1] ?? this.vars.get('PATH') ?? '';
    if (!prog || !this.table.available(this.host, name, { PATH: path })) {
      if (name.includes('/')) {
        this.report(io, `${name}: not found`);
        return 127;
      }
      if (this.flavour === 'bash') io.stderr.write(`bash: line 1: ${name}: command not found\n`);
      else this.report(io, `${name}: not found`);
      return 127;
    }
    // `exec prog` (or the last command of `sh -c` by exec optimisation) replaces PID 1.
    const pid1 = exec && this.pid1;
    const run = prog(new Ctx(argv, io, this, assigns, pid1, exec ? this.pid : this.rt.nextPid()));
    if (pid1) {
      // PID 1's shell is its thread's whole program (subshells, pipelines and command substitutions
      // run in clones, which are never PID 1), so exec truly replaces it: its frames are dropped,
      // as execve drops a real shell's memory, and no EXIT trap runs after.
      yield { t: 'exec', gen: run };
      throw new Error('unreachable: exec replaced this program');
    }
    return yield* run;
  }

  // ---- expansion ----

  /** Expand a word to fields: parameters, command substitution, arithmetic, splitting, globbing. */
  *expandWord(w: Word, io: IO): Run<string[]> {
    const fields: string[] = [];
    let cur = '';
    let have = false;
    let glob = false;
    const ifs = this.vars.get('IFS') ?? ' \t\n';
    const pushSplit = (value: string) => {
      if (!ifs) {
        cur += value;
        have = have || value.length > 0;
        return;
      }
      const pieces = value.split(ifsRegExp(ifs));
      pieces.forEach((piece, i) => {
        if (i > 0) {
          if (have) fields.push(cur);
          cur = '';
          have = false;
        }
        if (piece) {
          cur += piece;
          have = true;
        }
      });
    };
    for (let pi = 0; pi < w.parts.length; pi++) {
      const part = w.parts[pi];
      if (part.t === 'lit') {
        // Tilde expansion: an unquoted leading `~` or `~/…`.
        const v = pi === 0 && !part.q && (part.v === '~' || part.v.startsWith('~/')) ? (this.vars.get('HOME') ?? '/root') + part.v.slice(1) : part.v;
        cur += v;
        have = true;
        if (!part.q && /[*?[]/.test(v)) glob = true;
        continue;
      }
      if (part.t === 'param' && (part.name === '@' || part.name === '*') && !part.op) {
        const ps = this.positional;
        if (part.q && part.name === '@') {
          ps.forEach((p, i) => {
            if (i > 0) {
              fields.push(cur);
              cur = '';
            }
            cur += p;
            have = true;
          });
          continue;
        }
        if (part.q) {
          cur += ps.join(' ');
          have = true;
        } else pushSplit(ps.join(' '));
        continue;
      }
      const value = yield* this.expandPart(part, io);
      if (part.q) {
        cur += value;
        have = true;
      } else pushSplit(value);
    }
    if (have) fields.push(cur);
    if (!glob) return fields;
    return fields.flatMap((f) => this.glob(f));
  }

  /** Expand without field splitting or globbing (assignments, redirect targets, case subjects). */
  *expandNoSplit(w: Word, io: IO): Run<string> {
    let s = '';
    for (const part of w.parts) {
      if (part.t === 'lit') s += part.v;
      else if (part.t === 'param' && (part.name === '@' || part.name === '*') && !part.op) s += this.positional.join(' ');
      else s += yield* this.expandPart(part, io);
    }
    return s;
  }

  private *expandHeredoc(body: string, io: IO): Run<string> {
    // Re-lex the body as the inside of double quotes.
    const toks = parseScript(`: "${body.replace(/(["\\])/g, '\\$1').replace(/\\\\(\$|`)/g, '$1')}"`);
    const cmd = toks.items[0]?.andOr.first.commands[0];
    if (!cmd || cmd.type !== 'simple' || cmd.words.length < 2) return body;
    return yield* this.expandNoSplit(cmd.words[1], io);
  }

  private *expandPart(part: Exclude<Word['parts'][number], { t: 'lit' }>, io: IO): Run<string> {
    if (part.t === 'cmd') {
      const sub = this.clone();
      const out = new StringSink();
      const code = yield* sub.runSubshell(safeParse(part.src, sub, io), { stdin: io.stdin, stdout: out, stderr: io.stderr });
      this.lastSubstStatus = code;
      this.status = code;
      return out.text.replace(/\n+$/, '');
    }
    if (part.t === 'arith') {
      const src = yield* this.expandArithText(part.src, io);
      try {
        return String(evalArith(src, this.vars));
      } catch (e) {
        throw new ShellError(`arithmetic syntax error`, 2, true);
        void e;
      }
    }
    const v = this.param(part.name);
    switch (part.op) {
      case undefined:
        if (v === undefined && part.name !== '@' && part.name !== '*' && this.nounset) throw new ShellError(`${part.name}: parameter not set`, 2, true);
        return v ?? '';
      case '#len':
        return String((v ?? '').length);
      case ':-':
      case '-':
        if (v === undefined || (part.op === ':-' && v === '')) return yield* this.expandNoSplit(part.arg!, io);
        return v;
      case ':=':
      case '=':
        if (v === undefined || (part.op === ':=' && v === '')) {
          const d = yield* this.expandNoSplit(part.arg!, io);
          this.vars.set(part.name, d);
          return d;
        }
        return v;
      case ':+':
      case '+':
        if (v === undefined || (part.op === ':+' && v === '')) return '';
        return yield* this.expandNoSplit(part.arg!, io);
      case ':?':
      case '?':
        if (v === undefined || (part.op === ':?' && v === '')) {
          const m = yield* this.expandNoSplit(part.arg!, io);
          throw new ShellError(`${part.name}: ${m || 'parameter not set'}`, 2, true);
        }
        return v;
      case '#':
      case '##':
      case '%':
      case '%%': {
        const pat = yield* this.expandNoSplit(part.arg!, io);
        return trimPattern(v ?? '', pat, part.op);
      }
    }
    return v ?? '';
  }

  nounset = false;
  /** `set -x` */
  xtrace = false;
  private randomState = 0;

  /** `$RANDOM`: 0..32767 from a per-shell LCG seeded by the hostname and pid, so runs are reproducible. */
  private random(): number {
    if (!this.randomState) {
      let h = 2166136261;
      for (const ch of `${this.host.hostname}/${this.pid}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
      this.randomState = h || 1;
    }
    this.randomState = (Math.imul(this.randomState, 1103515245) + 12345) >>> 0;
    return (this.randomState >>> 16) & 0x7fff;
  }

  private *expandArithText(src: string, io: IO): Run<string> {
    if (!src.includes('$')) return src;
    const list = parseScript(`: "${src.replace(/"/g, '\\"')}"`);
    const cmd = list.items[0].andOr.first.commands[0];
    if (cmd.type !== 'simple') return src;
    return yield* this.expandNoSplit(cmd.words[1], io);
  }

  param(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '!':
        return this.lastBg ? String(this.lastBg.pid) : undefined;
      case '#':
        return String(this.positional.length);
      case '-':
        return this.errexit ? 'e' : '';
      case '0':
        return this.arg0;
      case '@':
      case '*':
        return this.positional.join(' ');
    }
    if (/^\d+$/.test(name)) return this.positional[Number(name) - 1];
    if (name === 'RANDOM' && !this.vars.has('RANDOM')) return String(this.random());
    return this.vars.get(name);
  }

  private glob(pattern: string): string[] {
    const abs = pattern.startsWith('/');
    const parts = pattern.split('/').filter((p) => p !== '');
    let paths = [abs ? '/' : ''];
    for (const part of parts) {
      const next: string[] = [];
      for (const base of paths) {
        if (!/[*?[]/.test(part)) {
          next.push(join(base, part));
          continue;
        }
        const dir = normalizePath(base || '.', this.cwd);
        const re = globToRegExp(part);
        for (const name of this.host.fs.list(dir)) {
          if (name.startsWith('.') && !part.startsWith('.')) continue;
          if (re.test(name)) next.push(join(base, name));
        }
      }
      paths = next;
    }
    const found = paths.filter((p) => this.host.fs.exists(normalizePath(p, this.cwd))).sort();
    return found.length ? found : [pattern];
  }

  // ---- control-flow helpers used by builtins ----

  /** Loops currently running (`break` outside a loop does nothing, as in dash). */
  loopDepth = 0;

  breakLoop(levels: number, isContinue: boolean): number {
    if (this.loopDepth === 0) return 0;
    throw new BreakSignal(Math.min(Math.max(1, levels), this.loopDepth), isContinue);
  }
  returnFn(code: number): never {
    throw new ReturnSignal(code);
  }

  /** `wait [pid…]`: wait for jobs; a trapped signal interrupts with 128+n. */
  *waitJobs(pids: number[]): Run {
    const jobs = pids.length ? this.jobs.filter((j) => pids.includes(j.pid)) : this.jobs;
    if (pids.length && !jobs.length) return 127;
    const res = yield { t: 'wait', jobs };
    if (res === INTERRUPTED) return 128 + signalNumber(this.pending[0] ?? 'TERM');
    this.jobs = this.jobs.filter((j) => j.state !== 'done' || !jobs.includes(j));
    const lastJob = jobs[jobs.length - 1];
    return pids.length && lastJob ? (lastJob.result ?? 0) : 0;
  }
}

const ifsCache = new Map<string, RegExp>();
function ifsRegExp(ifs: string): RegExp {
  let re = ifsCache.get(ifs);
  if (!re) {
    re = new RegExp(`[${ifs.replace(/[\\\]^-]/g, '\\$&').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}]+`);
    if (ifsCache.size < 16) ifsCache.set(ifs, re);
  }
  return re;
}

function safeParse(src: string, sh: Shell, io: IO): List {
  try {
    return parseScript(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) throw new ShellError(e.message, 2, true);
    void sh;
    void io;
    throw e;
  }
}

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

export function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** A shell glob (`*`, `?`, `[abc]`) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function trimPattern(v: string, pat: string, op: '#' | '##' | '%' | '%%'): string {
  const re = globToRegExp(pat);
  if (op === '#' || op === '##') {
    const lens = [...Array(v.length + 1).keys()];
    if (op === '##') lens.reverse();
    for (const n of lens) if (re.test(v.slice(0, n))) return v.slice(n);
    return v;
  }
  const lens = [...Array(v.length + 1).keys()].reverse();
  if (op === '%%') lens.reverse();
  for (const n of lens) if (re.test(v.slice(n))) return v.slice(0, n);
  return v;
}

// ---- arithmetic ($(( ))) ----

/** Binary operators by precedence, loosest first. */
const ARITH_LEVELS = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
const arithTokens = new Map<string, string[] | null>();

/** Evaluate a shell arithmetic expression (integers, C operators, variables by name). Throws on error. */
export function evalArith(src: string, vars: Map<string, string>): number {
  let ts = arithTokens.get(src);
  if (ts === undefined) {
    const toks = src.match(/\s*(\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||<<|>>|[-+*/%()<>!~&|^?:])\s*/gy);
    ts = (toks ?? []).join('').length === src.length ? (toks ?? []).map((t) => t.trim()) : null;
    // Why a cache: a loop evaluates the same expression every iteration.
    if (arithTokens.size < 256) arithTokens.set(src, ts);
  }
  if (ts === null) throw new Error('syntax');
  let i = 0;
  const peek = () => ts[i];
  const value = (name: string, depth = 0): number => {
    const v = vars.get(name);
    if (v === undefined || v.trim() === '') return 0;
    if (/^\s*-?\d+\s*$/.test(v)) return Number(v);
    if (depth < 5 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim())) return value(v.trim(), depth + 1);
    throw new Error('syntax');
  };
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '||': return a || b ? 1 : 0;
      case '&&': return a && b ? 1 : 0;
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
      case '%':
        if (b === 0) throw new Error('divide by zero');
        return op === '/' ? Math.trunc(a / b) : a % b;
    }
    throw new Error('syntax');
  };
  const level = (n: number): number => {
    if (n >= ARITH_LEVELS.length) return unary();
    let a = level(n + 1);
    while (peek() !== undefined && ARITH_LEVELS[n].includes(peek())) {
      const op = ts[i++];
      a = apply(op, a, level(n + 1));
    }
    return a;
  };
  const ternary = (): number => {
    const c = level(0);
    if (peek() === '?') {
      i++;
      const a = ternary();
      if (ts[i++] !== ':') throw new Error('syntax');
      const b = ternary();
      return c ? a : b;
    }
    return c;
  };
  const unary = (): number => {
    const t = ts[i++];
    if (t === undefined) throw new Error('syntax');
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (t === '!') return unary() ? 0 : 1;
    if (t === '~') return ~unary();
    if (t === '(') {
      const v = ternary();
      if (ts[i++] !== ')') throw new Error('syntax');
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return value(t);
    throw new Error('syntax');
  };
  if (!ts.length) return 0;
  const v = ternary();
  if (i !== ts.length) throw new Error('syntax');
  return v | 0;
}
