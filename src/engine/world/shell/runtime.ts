/**
 * The resumable machine under every simulated process. A program is a generator that yields
 * {@link Effect}s (sleep, block, wait for jobs, yield a tick) instead of blocking; the runtime resumes
 * it from the virtual clock (`host.after`). No real timers, no promises: the same inputs give the
 * same interleaving, so the engine stays deterministic.
 *
 * Two modes:
 * - async (a container's main process): sleeps take virtual time;
 * - sync (`kubectl exec`, exec probes): everything runs to completion inside one call, and a
 *   `sleep` does NOT advance the cluster's clock — it only adds to {@link ProcessRuntime.elapsedMs},
 *   which the caller may compare with a probe's timeout.
 */
import type { TimerHandle } from '../../clock';
import type { ProcessHost, Signal } from '../process';

export type Effect =
  /** Suspend for `ms` of virtual time. */
  | { t: 'sleep'; ms: number }
  /** Suspend until killed (sleep infinity, a server's accept loop). */
  | { t: 'block' }
  /** Suspend until every listed job has ended, or a trapped signal interrupts (resumes with INTERRUPTED). */
  | { t: 'wait'; jobs: Thread[] }
  /** The step cap was hit: let virtual time pass so a busy loop cannot hang the engine (see BUSY_TICK_MAX_MS). */
  | { t: 'tick' }
  /**
   * execve: replace the thread's whole program with `gen`. The frames that yielded this are dropped
   * (never resumed, no `finally`), and `gen`'s result is the thread's.
   */
  | { t: 'exec'; gen: Run };

/** A resumable computation that ends with a value (an exit status for commands). */
export type Run<T = number> = Generator<Effect, T, unknown>;

/** Resume value of a `wait` effect that a trapped signal cut short. */
export const INTERRUPTED = Symbol('interrupted');

/** Busy-loop guard: commands run without a sleep before the interpreter yields 1 ms of virtual time. */
export const STEPS_PER_TICK = 10_000;

/**
 * Busy loops (commands without a sleep): after {@link STEPS_PER_TICK} commands the interpreter yields
 * a tick. The first {@link BUSY_FULL_SPEED_TICKS} ticks cost 1 ms of virtual time each, so a finite
 * loop of up to 100,000 commands finishes within ~10 ms. After that the loop is "sustained": each
 * tick doubles in length up to {@link BUSY_TICK_MAX_MS} and allows only {@link BUSY_SLOW_STEPS}
 * commands. Why: at full speed, `sim advance 1h` over a `while true; do :; done` pod would run
 * 36 billion commands. A simplification, said here: a sustained busy loop crawls in virtual time.
 */
export const BUSY_FULL_SPEED_TICKS = 10;
export const BUSY_TICK_MAX_MS = 60_000;
export const BUSY_SLOW_STEPS = 1_000;

/** In sync mode, give up after this much virtual time or this many ticks (`kubectl exec` of a forever loop). */
const SYNC_MAX_ELAPSED_MS = 60 * 60 * 1000;
const SYNC_MAX_TICKS = 20;

/** Raised inside a generator to end the whole process (or, in a background job, that job). */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** A line-buffered byte sink: text goes out to the host line by line. */
export interface Sink {
  write(text: string): void;
}

export class LineSink implements Sink {
  private buf = '';
  constructor(private readonly emit: (line: string) => void) {}
  write(text: string): void {
    this.buf += text;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      this.emit(this.buf.slice(0, nl));
      this.buf = this.buf.slice(nl + 1);
    }
  }
  flush(): void {
    if (this.buf) this.emit(this.buf);
    this.buf = '';
  }
}

export class StringSink implements Sink {
  text = '';
  write(text: string): void {
    this.text += text;
  }
}

/** Standard input: a string read from a position. */
export class Stdin {
  pos = 0;
  /**
   * @param open true for a container with `stdin: true`: after `data` the input stays open (nobody
   *   attached), so a program that reads it — a bare `sh`, `cat` — waits instead of seeing EOF.
   */
  constructor(
    readonly data: string,
    readonly open = false,
  ) {}
  /** Reading now would wait for more input. */
  get waiting(): boolean {
    return this.open && this.pos >= this.data.length;
  }
  readAll(): string {
    const s = this.data.slice(this.pos);
    this.pos = this.data.length;
    return s;
  }
  /** One line without its newline, or undefined at end of input. */
  readLine(): string | undefined {
    if (this.pos >= this.data.length) return undefined;
    let nl = this.data.indexOf('\n', this.pos);
    if (nl < 0) nl = this.data.length;
    const line = this.data.slice(this.pos, nl);
    this.pos = nl + 1;
    return line;
  }
}

export interface IO {
  stdin: Stdin;
  stdout: Sink;
  stderr: Sink;
}

/** One strand of execution: the main program or a background job (`cmd &`). */
export class Thread {
  state: 'running' | 'sleeping' | 'blocked' | 'waiting' | 'done' = 'running';
  timer?: TimerHandle;
  result?: number;
  waitingOn?: Thread[];
  /** Consecutive busy-loop ticks without a sleep. */
  busyTicks = 0;
  readonly onDone: (() => void)[] = [];
  constructor(
    readonly pid: number,
    /** The program it runs (replaced by an `exec` effect). */
    public gen: Run,
  ) {}
}

/**
 * The main process (PID 1) of each container, by the container's file system object, so that
 * `kubectl exec … -- kill 1` or `nginx -s quit` can reach it. The kubelet gives exec the same `fs`.
 */
export const pid1ByFs = new WeakMap<object, ProcessRuntime>();

/** Drives the generators of one simulated process over the virtual clock. */
export class ProcessRuntime {
  private readonly threads = new Set<Thread>();
  main?: Thread;
  /** True once the process has ended (exit, SIGKILL, or the end of its main program). */
  dead = false;
  exitCode?: number;
  /** Virtual ms the process "spent" (sync mode only; async time is the clock's). */
  elapsedMs = 0;
  /** Sync mode gave up on a command that would never end. */
  timedOut = false;
  private ticks = 0;
  private pidSeq: number;
  /** What PID 1 does on SIGTERM/SIGINT. Default: nothing, because the kernel does not apply default
   * signal actions to a namespace's init process — it must install a handler. */
  disposition: (sig: Signal) => void = () => {};
  /** The command line, for `ps`. */
  commandLine = '';
  /** Called once when the process ends (flush output, then host.exit). */
  onExit: (code: number) => void = () => {};

  constructor(
    readonly host: ProcessHost,
    readonly sync: boolean,
    firstPid = 1,
  ) {
    this.pidSeq = firstPid;
  }

  nextPid(): number {
    return this.pidSeq++;
  }

  /** Start the main program; its end ends the process. */
  start(gen: Run): Thread {
    const t = new Thread(this.nextPid(), gen);
    this.main = t;
    this.threads.add(t);
    this.pump(t, undefined);
    return t;
  }

  /** Start a background job. In sync mode it runs to completion at once. */
  spawn(gen: Run): Thread {
    const t = new Thread(this.nextPid(), gen);
    this.threads.add(t);
    this.pump(t, undefined);
    return t;
  }

  /** Deliver a signal from outside (the kubelet). SIGKILL ends everything; the runtime's caller reports 137. */
  signal(sig: Signal): void {
    if (this.dead) return;
    if (sig === 'SIGKILL') {
      this.stopAll();
      this.dead = true;
      this.exitCode = 137;
      return;
    }
    this.disposition(sig);
  }

  /** Resume a thread waiting in `wait` with INTERRUPTED (a trapped signal arrived). */
  interrupt(t: Thread): void {
    if (t.state !== 'waiting') return;
    t.waitingOn = undefined;
    this.pump(t, INTERRUPTED);
  }

  /** End a background job as a signal would (`kill PID`). */
  kill(t: Thread, code: number): void {
    if (t.state === 'done') return;
    t.timer?.cancel();
    this.finishThread(t, code);
  }

  /** End the whole process with `code`. */
  exit(code: number): void {
    if (this.dead) return;
    this.stopAll();
    this.dead = true;
    this.exitCode = code;
    this.onExit(code);
  }

  private stopAll(): void {
    for (const t of this.threads) {
      t.timer?.cancel();
      t.state = 'done';
    }
    this.threads.clear();
  }

  private finishThread(t: Thread, code: number): void {
    t.state = 'done';
    t.result = code;
    this.threads.delete(t);
    if (t === this.main) {
      this.exit(code);
      return;
    }
    for (const cb of t.onDone.splice(0)) cb();
  }

  private pump(t: Thread, value: unknown): void {
    let input = value;
    for (;;) {
      if (this.dead || t.state === 'done') return;
      t.state = 'running';
      let r: IteratorResult<Effect, number>;
      try {
        r = t.gen.next(input);
      } catch (e) {
        r = { done: true, value: this.crashed(e) };
      }
      // A handler run inside next() may have ended the process or this job.
      if (this.dead || (t.state as Thread['state']) === 'done') return;
      if (r.done) {
        this.finishThread(t, r.value);
        return;
      }
      input = undefined;
      const eff = r.value;
      if (eff.t === 'exec') {
        t.gen = eff.gen;
        continue;
      }
      if (eff.t === 'sleep' || eff.t === 'tick') {
        let ms = Math.max(0, eff.t === 'sleep' ? eff.ms : 1);
        if (eff.t === 'sleep') t.busyTicks = 0;
        else {
          const over = t.busyTicks++ - BUSY_FULL_SPEED_TICKS;
          if (over >= 0) ms = Math.min(BUSY_TICK_MAX_MS, 2 ** (over + 1));
          // The resume value of a tick is the number of commands allowed before the next one.
          input = over >= 0 ? BUSY_SLOW_STEPS : STEPS_PER_TICK;
        }
        if (this.sync) {
          this.elapsedMs += ms;
          if ((eff.t === 'tick' && ++this.ticks > SYNC_MAX_TICKS) || this.elapsedMs > SYNC_MAX_ELAPSED_MS) return this.giveUp();
          continue;
        }
        t.state = 'sleeping';
        const resume = input;
        t.timer = this.host.after(ms, () => {
          t.timer = undefined;
          this.pump(t, resume);
        });
        return;
      }
      t.busyTicks = 0;
      if (eff.t === 'block') {
        if (this.sync) return this.giveUp();
        t.state = 'blocked';
        return;
      }
      // wait
      const pending = eff.jobs.filter((j) => j.state !== 'done');
      if (!pending.length) continue;
      t.state = 'waiting';
      t.waitingOn = pending;
      for (const j of pending) {
        j.onDone.push(() => {
          if (t.state === 'waiting' && t.waitingOn && t.waitingOn.every((w) => w.state === 'done')) {
            t.waitingOn = undefined;
            this.pump(t, undefined);
          }
        });
      }
      return;
    }
  }

  private giveUp(): void {
    this.timedOut = true;
    this.exit(124);
  }

  private crashed(e: unknown): number {
    if (e instanceof ExitSignal) return e.code;
    // A bug in a simulated program must not escape the engine: report it like a crashing process.
    this.host.stderr(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}
