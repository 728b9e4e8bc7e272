import type { Cluster } from '../cluster';

/** What one kubectl invocation prints and returns. The console shows stdout then stderr. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Reads files named by `apply -f FILE` (relative to the script's folder). Undefined when missing. */
export type FileReader = (path: string) => string | undefined;

/**
 * The one kubectl interpreter: the console, the CLI, lessons and the embed API all use it.
 * Placeholder: to be implemented.
 */
export class Kubectl {
  constructor(
    readonly cluster: Cluster,
    readonly readFile: FileReader = () => undefined,
  ) {}

  /** Run one command line without the leading `kubectl`, e.g. `get pods -o wide`. `stdin` feeds `-f -`. */
  run(args: string[], _stdin?: string): KubectlResult {
    return { stdout: '', stderr: `error: unknown command "${args[0] ?? ''}" for "kubectl"\n`, exitCode: 1 };
  }
}
