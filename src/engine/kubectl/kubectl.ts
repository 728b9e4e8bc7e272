import type { Cluster } from '../cluster';
import { flagBool, type FlagSpecs, parseArgs, type ParsedArgs, UsageError } from './args';
import { CommandError, type Invocation, Output } from './common';
import { EXPOSE_FLAGS, runExpose, runSet, SET_FLAGS } from './generate';
import { DESCRIBE_FLAGS, GET_FLAGS, runDescribe, runGet } from './get';
import {
  EVENTS_FLAGS, EXEC_FLAGS, LOGS_FLAGS, runApiResources, runClusterInfo, runEvents, runExec, runExplain, runLogs, runTop, runVersion, runWait,
  WAIT_FLAGS,
} from './misc';
import {
  APPLY_FLAGS, CORDON_FLAGS, CREATE_FLAGS, DELETE_FLAGS, DRAIN_FLAGS, LABEL_FLAGS, PATCH_FLAGS, REPLACE_FLAGS, RUN_FLAGS, SCALE_FLAGS,
  TAINT_FLAGS, runApply, runCordon, runCreate, runDelete, runDrain, runLabelOrAnnotate, runPatch, runReplace, runRun, runScale, runTaint,
} from './mutate';
import { ROLLOUT_FLAGS, runRollout } from './rollout';

export { splitCommandLine } from './args';
export { humanDuration } from './duration';
export { podStatusText, nodeStatusText } from './printers';

/** What one kubectl invocation prints and returns. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** Both streams interleaved in the order written, as the console shows them (`Defaulted container …` before the logs). */
  combined: string;
  exitCode: number;
}

/** Reads files named by `apply -f FILE` (relative to the script's folder). Undefined when missing. */
export type FileReader = (path: string) => string | undefined;

interface CommandDef {
  short: string;
  usage: string;
  flags: FlagSpecs;
  run(inv: Invocation, p: ParsedArgs): void;
}

const COMMANDS: Record<string, CommandDef> = {
  get: { short: 'Display one or many resources', usage: 'kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]', flags: GET_FLAGS, run: runGet },
  describe: { short: 'Show details of a specific resource or group of resources', usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]', flags: DESCRIBE_FLAGS, run: runDescribe },
  apply: { short: 'Apply a configuration to a resource by file name or stdin', usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]', flags: APPLY_FLAGS, run: runApply },
  create: { short: 'Create a resource from a file or from stdin', usage: 'kubectl create -f FILENAME [options]', flags: CREATE_FLAGS, run: runCreate },
  run: { short: 'Run a particular image on the cluster', usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]', flags: RUN_FLAGS, run: runRun },
  delete: { short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector', usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]', flags: DELETE_FLAGS, run: runDelete },
  patch: { short: 'Update fields of a resource', usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]", flags: PATCH_FLAGS, run: runPatch },
  replace: { short: 'Replace a resource by file name or stdin', usage: 'kubectl replace -f FILENAME [options]', flags: REPLACE_FLAGS, run: runReplace },
  scale: { short: 'Set a new size for a deployment, replica set, or replication controller', usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]', flags: SCALE_FLAGS, run: runScale },
  rollout: { short: 'Manage the rollout of a resource', usage: 'kubectl rollout SUBCOMMAND [options]', flags: ROLLOUT_FLAGS, run: runRollout },
  label: { short: 'Update the labels on a resource', usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]', flags: LABEL_FLAGS, run: (inv, p) => runLabelOrAnnotate(inv, p, 'labels') },
  annotate: { short: 'Update the annotations on a resource', usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]', flags: LABEL_FLAGS, run: (inv, p) => runLabelOrAnnotate(inv, p, 'annotations') },
  taint: { short: 'Update the taints on one or more nodes', usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]', flags: TAINT_FLAGS, run: (inv, p) => runTaint(inv, p, inv.now) },
  expose: { short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]', flags: EXPOSE_FLAGS, run: runExpose },
  set: { short: 'Set specific features on objects', usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]', flags: SET_FLAGS, run: runSet },
  cordon: { short: 'Mark node as unschedulable', usage: 'kubectl cordon NODE [options]', flags: CORDON_FLAGS, run: (inv, p) => runCordon(inv, p, true) },
  uncordon: { short: 'Mark node as schedulable', usage: 'kubectl uncordon NODE [options]', flags: CORDON_FLAGS, run: (inv, p) => runCordon(inv, p, false) },
  drain: { short: 'Drain node in preparation for maintenance', usage: 'kubectl drain NODE [options]', flags: DRAIN_FLAGS, run: runDrain },
  logs: { short: 'Print the logs for a container in a pod', usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]', flags: LOGS_FLAGS, run: runLogs },
  exec: { short: 'Execute a command in a container', usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]', flags: EXEC_FLAGS, run: runExec },
  events: { short: 'List events', usage: 'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]', flags: EVENTS_FLAGS, run: runEvents },
  wait: { short: 'Experimental: Wait for a specific condition on one or many resources', usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]", flags: WAIT_FLAGS, run: runWait },
  top: { short: 'Display resource (CPU/memory) usage', usage: 'kubectl top [flags] [options]', flags: { 'all-namespaces': { type: 'bool', short: 'A' }, selector: { type: 'string', short: 'l' }, containers: { type: 'bool' } }, run: () => runTop() },
  explain: { short: 'Get documentation for a resource', usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]', flags: { recursive: { type: 'bool' }, 'api-version': { type: 'string' }, output: { type: 'string', short: 'o' } }, run: runExplain },
  version: { short: 'Print the client and server version information', usage: 'kubectl version [flags] [options]', flags: { client: { type: 'bool' }, output: { type: 'string', short: 'o' } }, run: runVersion },
  'api-resources': { short: 'Print the supported API resources on the server', usage: 'kubectl api-resources [flags] [options]', flags: { namespaced: { type: 'string' }, output: { type: 'string', short: 'o' }, 'no-headers': { type: 'bool' } }, run: runApiResources },
  'cluster-info': { short: 'Display cluster information', usage: 'kubectl cluster-info [flags] [options]', flags: {}, run: (inv) => runClusterInfo(inv) },
};

function rootHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    'kubectl controls the Kubernetes cluster manager.',
    '',
    ' Find more information at: https://kubernetes.io/docs/reference/kubectl/',
    '',
    'Commands supported by Pod Playground (a simulated Kubernetes v1.34 cluster):',
    ...names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].short}`),
    '',
    'Usage:',
    '  kubectl [flags] [options]',
    '',
    'Use "kubectl <command> --help" for more information about a given command.',
    '',
  ].join('\n');
}

function commandHelp(name: string, def: CommandDef): string {
  const flags = Object.entries(def.flags).map(([f, s]) => `    ${s.short ? `-${s.short}, ` : '    '}--${f}${s.type === 'bool' ? '' : `=${s.type === 'int' ? '0' : "''"}`}`);
  return `${def.short}.\n\nOptions:\n${flags.join('\n')}${flags.length ? '\n' : ''}\nUsage:\n  ${def.usage}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

/**
 * The one kubectl interpreter: the console, the CLI, lessons and the embed API all use it. Output is
 * byte-compatible with kubectl v1.34 for the supported subset; printers are pure functions of
 * (objects, now) so the UI can reuse them. Virtual time never moves inside a command.
 *
 * @example
 * const k = new Kubectl(cluster);
 * k.run(splitCommandLine('get pods -o wide')).stdout
 */
export class Kubectl {
  constructor(
    readonly cluster: Cluster,
    readonly readFile: FileReader = () => undefined,
  ) {}

  /** Run one command line without the leading `kubectl`, e.g. `get pods -o wide`. `stdin` feeds `-f -`. */
  run(args: string[], stdin?: string): KubectlResult {
    const out = new Output();
    const words = args[0] === 'kubectl' ? args.slice(1) : args;
    // Global flags may come before the command (`kubectl -n kube-system get pods`).
    let i = 0;
    const leading: string[] = [];
    while (i < words.length && words[i].startsWith('-')) {
      leading.push(words[i]);
      if (/^(-n|--namespace|--context|--kubeconfig)$/.test(words[i]) && i + 1 < words.length) leading.push(words[++i]);
      i++;
    }
    const name = words[i];
    const rest = [...leading, ...words.slice(i + 1)];
    try {
      if (name === undefined) {
        if (leading.some((w) => w === '--help' || w === '-h') || !leading.length) {
          out.out(rootHelp());
          return this.result(out);
        }
        parseArgs(leading, {}, '');
        out.out(rootHelp());
        return this.result(out);
      }
      if (name === 'help') {
        const def = words[i + 1] !== undefined ? COMMANDS[words[i + 1]] : undefined;
        out.out(def ? commandHelp(words[i + 1], def) : rootHelp());
        return this.result(out);
      }
      const def = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
      if (!def) {
        throw new CommandError(`error: unknown command "${name}" for "kubectl"`);
      }
      const parsed = parseArgs(rest, def.flags, name);
      if (flagBool(parsed, 'help')) {
        out.out(commandHelp(name, def));
        return this.result(out);
      }
      const inv: Invocation = { cluster: this.cluster, now: this.cluster.clock.now(), out, stdin, readFile: this.readFile };
      def.run(inv, parsed);
    } catch (e) {
      if (e instanceof UsageError || e instanceof CommandError || e instanceof Error) out.fail(e);
      else out.fail(String(e));
    }
    // Objects written by the command settle at the current instant (controllers react), as they would
    // while kubectl waits for its response; virtual time does not move.
    this.cluster.settle();
    return this.result(out);
  }

  private result(out: Output): KubectlResult {
    out.flushFailures();
    return { stdout: out.stdout, stderr: out.stderr, combined: out.combined, exitCode: out.exitCode };
  }
}
