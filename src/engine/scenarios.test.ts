/**
 * Golden transcripts: each scenario in scenarios/*.txt runs headless through the Session (exactly what
 * `npm run sim` prints) and must match scenarios/__golden__/NAME.out byte for byte. Run with
 * UPDATE_GOLDEN=1 to rewrite them — then read the diff: a golden encodes what real Kubernetes does.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from './session';

const dir = resolve(import.meta.dirname, '../../scenarios');
const goldenDir = join(dir, '__golden__');

export function runScenario(file: string, seed = 1): string {
  const session = new Session({
    seed,
    readFile: (p) => {
      try {
        return readFileSync(join(dir, p), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  return session.runScript(readFileSync(join(dir, file), 'utf8'));
}

const scenarios = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('scenario goldens', () => {
  it.each(scenarios)('%s matches its golden transcript', (file) => {
    const out = runScenario(file);
    const golden = join(goldenDir, file.replace(/\.txt$/, '.out'));
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(golden, out);
    }
    expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(out).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(scenarios)('%s is deterministic: two runs are byte-identical', (file) => {
    expect(runScenario(file)).toBe(runScenario(file));
  });
});
