/**
 * `npm run sim -- path/to/script.txt`: run a scenario script headless and print its transcript,
 * exactly as the in-app console would show it. `--seed N` picks the PRNG seed (default 1).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Session } from '../engine/session';

function main(argv: string[]): number {
  let seed = 1;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') seed = Number(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      process.stdout.write('Usage: npm run sim -- [--seed N] SCRIPT\n');
      return 0;
    } else files.push(argv[i]);
  }
  if (files.length !== 1 || !Number.isInteger(seed)) {
    process.stderr.write('Usage: npm run sim -- [--seed N] SCRIPT\n');
    return 2;
  }
  const path = resolve(files[0]);
  let script: string;
  try {
    script = readFileSync(path, 'utf8');
  } catch {
    process.stderr.write(`error: cannot read script "${files[0]}"\n`);
    return 1;
  }
  const dir = dirname(path);
  const session = new Session({
    seed,
    readFile: (p) => {
      try {
        return readFileSync(resolve(dir, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  process.stdout.write(session.runScript(script));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
