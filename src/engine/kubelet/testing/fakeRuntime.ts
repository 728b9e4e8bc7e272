import { MemoryFileSystem, mountedFileSystem } from '../../world/fs';
import type { ExecResult, Process, ProcessHost } from '../../world/process';
import type { ContainerRuntimeDeps } from '../runtime';
import type { ImageInfo } from '../../world/images';

/**
 * A tiny fake process world for kubelet tests, independent of the real image catalogue.
 * Images: `app` (any tag but `missing`), pull 2s, 10 MB. Commands (first word of command+args):
 * - `run` (default): runs until signalled; exits 0 on SIGTERM.
 * - `serve PORT [PATH=STATUS…]`: listens on PORT, answers 200 (or the given status per path).
 * - `exit CODE [AFTER_MS]`: exits with CODE after AFTER_MS (default 0).
 * - `stubborn`: ignores SIGTERM (dies only by SIGKILL).
 * - `log LINE…`: prints each word as a line, then runs.
 * - `oom BYTES`: uses BYTES of memory after 1s.
 * runToCompletion: `true`, `false`, `cat PATH`, `echo WORDS`, `env`, `touch PATH`, `rm PATH`, `write PATH TEXT`, `wget URL`.
 */
export function fakeRuntime(): ContainerRuntimeDeps & { started: string[][] } {
  const started: string[][] = [];
  return {
    started,
    lookupImage(ref: string): ImageInfo | undefined {
      if (ref.includes('missing')) return undefined;
      const name = ref.split(':')[0];
      if (!/(^|\/)app$/.test(name)) return undefined;
      return { name: `docker.io/library/${name}:${ref.split(':')[1] ?? 'latest'}`, repository: `docker.io/library/${name}`, tag: ref.split(':')[1] ?? 'latest', env: { PATH: '/bin' }, sizeBytes: 10_000_000, pullMs: 2000, ports: [], startMs: 0, memoryBytes: 0, entrypoint: [], cmd: ['run'], files: {} };
    },
    startProcess(container, host: ProcessHost): Process {
      const argv = [...(container.command ?? []), ...(container.args ?? [])];
      if (!argv.length) argv.push('run');
      started.push(argv);
      let done = false;
      const exit = (code: number) => {
        if (done) return;
        done = true;
        host.exit(code);
      };
      let stubborn = false;
      switch (argv[0]) {
        case 'serve': {
          const statuses = new Map(argv.slice(2).map((a) => a.split('=') as [string, string]));
          if (!host.listen(Number(argv[1]), (path) => ({ status: Number(statuses.get(path) ?? 200), body: `hello from ${host.hostname}` }))) {
            host.stderr('bind: address already in use');
            exit(1);
          }
          break;
        }
        case 'exit':
          if (Number(argv[2] ?? 0) === 0) exit(Number(argv[1]));
          else host.after(Number(argv[2]), () => exit(Number(argv[1])));
          break;
        case 'stubborn':
          stubborn = true;
          break;
        case 'log':
          for (const l of argv.slice(1)) host.stdout(l);
          break;
        case 'oom':
          host.after(1000, () => host.setMemory(Number(argv[1])));
          break;
      }
      return {
        signal(sig) {
          if (sig === 'SIGKILL') done = true;
          else if (!stubborn) exit(0);
        },
      };
    },
    runToCompletion(argv: string[], host: ProcessHost): ExecResult {
      switch (argv[0]) {
        case 'true':
          return { stdout: '', stderr: '', exitCode: 0 };
        case 'false':
          return { stdout: '', stderr: '', exitCode: 1 };
        case 'cat': {
          const c = host.fs.read(argv[1]);
          return c === undefined ? { stdout: '', stderr: `cat: can't open '${argv[1]}': No such file or directory\n`, exitCode: 1 } : { stdout: c, stderr: '', exitCode: 0 };
        }
        case 'echo':
          return { stdout: argv.slice(1).join(' ') + '\n', stderr: '', exitCode: 0 };
        case 'touch':
          host.fs.write(argv[1], '');
          return { stdout: '', stderr: '', exitCode: 0 };
        case 'rm':
          host.fs.remove(argv[1]);
          return { stdout: '', stderr: '', exitCode: 0 };
        case 'write':
          try {
            host.fs.write(argv[1], argv.slice(2).join(' '));
            return { stdout: '', stderr: '', exitCode: 0 };
          } catch (e) {
            return { stdout: '', stderr: `write: ${(e as Error).message}\n`, exitCode: 1 };
          }
        case 'wget': {
          const m = /^http:\/\/([^:/]+)(?::(\d+))?(\/.*)?$/.exec(argv[1]);
          if (!m) return { stdout: '', stderr: 'bad url\n', exitCode: 1 };
          const r = host.connect(m[1], Number(m[2] ?? 80), m[3] ?? '/');
          return r.ok ? { stdout: r.response.body, stderr: '', exitCode: 0 } : { stdout: '', stderr: `wget: ${r.error}\n`, exitCode: 1 };
        }
        case 'env':
          return { stdout: Object.entries(host.env).map(([k, v]) => `${k}=${v}\n`).join(''), stderr: '', exitCode: 0 };
        default:
          return { stdout: '', stderr: `sh: ${argv[0]}: not found\n`, exitCode: 127 };
      }
    },
    newFileSystem: (files) => new MemoryFileSystem(files ?? {}),
    mount: mountedFileSystem,
  };
}
