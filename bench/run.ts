/**
 * `npm run bench`: every benchmark in turn. Engine figures always; UI figures when a build exists
 * (`npm run build` first) and Chromium is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (file: string) => {
  console.log(`\n== ${file}`);
  // --expose-gc: the memory bench measures the heap after a full collection.
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
  return r.status ?? 1;
};

let status = 0;
// The envelope run (5,000 nodes, 150,000 pods) takes minutes: only with `npm run bench -- --envelope`.
const files = ['bench/scheduler.bench.ts', 'bench/engine.bench.ts', 'bench/memory.bench.ts', ...(process.argv.includes('--envelope') ? ['bench/envelope.bench.ts'] : [])];
for (const f of files) if (existsSync(f)) status ||= run(f);
if (existsSync('bench/ui.bench.ts')) {
  if (existsSync('dist/index.html')) status ||= run('bench/ui.bench.ts');
  else console.log('\n== bench/ui.bench.ts skipped: run `npm run build` first');
}
process.exitCode = status;
