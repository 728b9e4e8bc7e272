import { ApiError } from './api/errors';
import { parseDuration } from './clock';
import { Cluster, type NodeOptions } from './cluster';
import { splitCommandLine } from './kubectl/args';
import { Kubectl, type FileReader } from './kubectl/kubectl';

export interface SessionOptions {
  /** Seed for the cluster's PRNG (default 1). */
  seed?: number;
  /** Reads files named by `kubectl apply -f FILE`. */
  readFile?: FileReader;
  /** Build the default cluster (a control plane and 3 workers). Default true. */
  defaultCluster?: boolean;
}

/** What one console line printed: stdout and stderr interleaved as a terminal shows them. */
export interface CommandOutput {
  output: string;
  exitCode: number;
}

export interface ClusterShape {
  nodes: number;
  cpu?: string;
  memory?: string;
  maxPods?: number;
}

/** The simulated machines' defaults: kind-like, small enough to see, big enough to run a few replicas. */
export const DEFAULT_SHAPE: Required<ClusterShape> = { nodes: 3, cpu: '4', memory: '8Gi', maxPods: 110 };

const SIM_USAGE = `Usage:
  sim cluster --nodes N [--cpu C] [--memory M] [--max-pods P]
  sim seed N
  sim advance DURATION            (e.g. 45s, 5m, 1h30m)
  sim kill-node NAME | sim start-node NAME
  sim partition-node NAME | sim heal-node NAME
  sim add-node NAME [--cpu C] [--memory M] [--labels k=v,...]`;

/**
 * The console's interpreter: `kubectl …` (or `k …`) and `sim …` lines, one at a time. The in-app
 * console, the headless CLI (`npm run sim`), lessons and the embed API all go through here, so a
 * transcript is the same wherever it runs.
 *
 * @example
 * const s = new Session({ seed: 1 });
 * s.exec('kubectl create deployment web --image=nginx --replicas=3');
 * s.exec('sim advance 30s');
 * console.log(s.exec('kubectl get pods').output);
 */
export class Session {
  cluster!: Cluster;
  kubectl!: Kubectl;
  private seed: number;
  private readonly readFile: FileReader;

  constructor(opts: SessionOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.readFile = opts.readFile ?? (() => undefined);
    this.reset(opts.defaultCluster === false ? { nodes: 0 } : DEFAULT_SHAPE);
  }

  /** A fresh cluster: one control-plane node (tainted NoSchedule, as kubeadm does) and workers node-1 … node-N. */
  reset(shape: ClusterShape): void {
    this.cluster = new Cluster({ seed: this.seed });
    this.kubectl = new Kubectl(this.cluster, this.readFile);
    this.cluster.addNode('control-plane', { cpu: '2', memory: '4Gi', controlPlane: true });
    const opts: NodeOptions = { cpu: shape.cpu ?? DEFAULT_SHAPE.cpu, memory: shape.memory ?? DEFAULT_SHAPE.memory, maxPods: shape.maxPods ?? DEFAULT_SHAPE.maxPods };
    for (let i = 1; i <= shape.nodes; i++) this.cluster.addNode(`node-${i}`, opts);
  }

  /** Run one line. Blank lines and `#` comments print nothing. */
  exec(line: string, stdin?: string): CommandOutput {
    const text = stripComment(line).trim();
    if (!text) return { output: '', exitCode: 0 };
    let words: string[];
    try {
      words = splitCommandLine(text);
    } catch (e) {
      return fail(`error: ${(e as Error).message}`);
    }
    const [cmd, ...rest] = words;
    try {
      if (cmd === 'kubectl' || cmd === 'k') {
        const r = this.kubectl.run(rest, stdin);
        return { output: r.combined, exitCode: r.exitCode };
      }
      if (cmd === 'sim') return this.sim(rest);
      return fail(`error: unknown command "${cmd}": lines start with "kubectl" or "sim" (try "sim help")`);
    } catch (e) {
      // The engine never takes the console down: an unexpected failure is reported like kubectl would.
      if (e instanceof ApiError) return fail(e.toKubectl());
      return fail(`error: ${(e as Error).message}`);
    }
  }

  /**
   * Run a scenario script and return its transcript: for each command a line `$ <command>` then its
   * output. `kubectl apply -f - <<EOF` … `EOF` feeds the lines between as stdin.
   */
  runScript(script: string): string {
    const lines = script.split(/\r?\n/);
    let out = '';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const text = stripComment(line).trim();
      if (!text) continue;
      let stdin: string | undefined;
      let command = text;
      const heredoc = /\s<<-?\s*['"]?(\w+)['"]?\s*$/.exec(text);
      if (heredoc) {
        command = text.slice(0, heredoc.index).trim();
        const body: string[] = [];
        while (++i < lines.length && lines[i].trim() !== heredoc[1]) body.push(lines[i]);
        stdin = body.join('\n') + '\n';
      }
      const r = this.exec(command, stdin);
      out += `$ ${command}\n${r.output}`;
      if (r.output && !r.output.endsWith('\n')) out += '\n';
    }
    return out;
  }

  private sim(args: string[]): CommandOutput {
    const [sub, ...rest] = args;
    const { positional, flags, error } = parseFlags(rest);
    if (error) return fail(error);
    const nodeArg = () => {
      const name = positional[0];
      if (!name) throw new Error(`sim ${sub}: a node name is required`);
      if (!this.cluster.store.get('Node', undefined, name)) throw ApiError.notFound('Node', name);
      return name;
    };
    switch (sub) {
      case undefined:
      case 'help':
        return { output: SIM_USAGE + '\n', exitCode: 0 };
      case 'cluster': {
        const nodes = Number(flags.nodes ?? DEFAULT_SHAPE.nodes);
        if (!Number.isInteger(nodes) || nodes < 0 || nodes > 5000) return fail(`error: --nodes must be a whole number from 0 to 5000, got "${flags.nodes}"`);
        const maxPods = flags['max-pods'] === undefined ? undefined : Number(flags['max-pods']);
        if (maxPods !== undefined && (!Number.isInteger(maxPods) || maxPods < 1 || maxPods > 110)) return fail(`error: --max-pods must be a whole number from 1 to 110, got "${flags['max-pods']}"`);
        this.reset({ nodes, cpu: flags.cpu, memory: flags.memory, maxPods });
        return ok(`cluster ready: control-plane + ${nodes} worker node${nodes === 1 ? '' : 's'}`);
      }
      case 'seed': {
        const n = Number(positional[0]);
        if (!Number.isInteger(n)) return fail(`error: sim seed takes a whole number, got "${positional[0] ?? ''}"`);
        this.seed = n;
        this.cluster.rng.reseed(n);
        return ok(`seed set to ${n}`);
      }
      case 'advance': {
        const ms = parseDuration(positional[0] ?? '');
        if (ms === undefined) return fail(`error: invalid duration "${positional[0] ?? ''}": use e.g. 45s, 5m, 1h30m`);
        if (ms > 24 * 3_600_000) return fail('error: sim advance is limited to 24h at a time');
        this.cluster.advance(ms);
        return { output: '', exitCode: 0 };
      }
      case 'kill-node':
        this.cluster.faults.setPower(nodeArg(), 'Off');
        return ok(`node/${positional[0]} powered off`);
      case 'start-node':
        this.cluster.faults.setPower(nodeArg(), 'On');
        this.cluster.settle();
        return ok(`node/${positional[0]} powered on`);
      case 'partition-node':
        this.cluster.faults.setPartitioned(nodeArg(), true);
        return ok(`node/${positional[0]} cut off from the control plane`);
      case 'heal-node':
        this.cluster.faults.setPartitioned(nodeArg(), false);
        this.cluster.settle();
        return ok(`node/${positional[0]} reconnected`);
      case 'add-node': {
        const name = positional[0];
        if (!name) return fail('error: sim add-node: a node name is required');
        const labels: Record<string, string> = {};
        if (flags.labels) {
          for (const kv of flags.labels.split(',')) {
            const [k, v = ''] = kv.split('=');
            if (!k) return fail(`error: invalid label "${kv}": use k=v,k2=v2`);
            labels[k] = v;
          }
        }
        this.cluster.addNode(name, { cpu: flags.cpu ?? DEFAULT_SHAPE.cpu, memory: flags.memory ?? DEFAULT_SHAPE.memory, labels });
        return ok(`node/${name} added`);
      }
      default:
        return fail(`error: unknown command "sim ${sub}"\n${SIM_USAGE}`);
    }
  }
}

function ok(line: string): CommandOutput {
  return { output: line + '\n', exitCode: 0 };
}

function fail(line: string): CommandOutput {
  return { output: line.endsWith('\n') ? line : line + '\n', exitCode: 1 };
}

function stripComment(line: string): string {
  return /^\s*#/.test(line) ? '' : line;
}

function parseFlags(args: string[]): { positional: string[]; flags: Record<string, string>; error?: string } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < args.length) flags[a.slice(2)] = args[++i];
      else return { positional, flags, error: `error: flag needs an argument: ${a}` };
    } else positional.push(a);
  }
  return { positional, flags };
}
