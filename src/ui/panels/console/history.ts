/**
 * Shell-style command history: ArrowUp walks back, ArrowDown walks forward, and the line being
 * typed before walking (the draft) comes back when you walk past the newest entry. Immutable
 * values so React state can hold them directly.
 */
export interface History {
  readonly entries: readonly string[];
  /** Index into entries while walking; entries.length means "at the draft". */
  readonly index: number;
  readonly draft: string;
}

/** A history holding `entries`, positioned at the (empty) draft. */
export function createHistory(entries: readonly string[] = []): History {
  return { entries, index: entries.length, draft: '' };
}

/** Record a submitted line (blank lines and immediate repeats are not recorded, as in bash's ignoredups). */
export function pushHistory(h: History, line: string): History {
  const t = line.trim();
  const entries = !t || h.entries[h.entries.length - 1] === t ? h.entries : [...h.entries, t];
  return { entries, index: entries.length, draft: '' };
}

/** Walk one step; `current` is what the input shows now. Returns the new history and the line to show. */
export function walkHistory(h: History, dir: 'up' | 'down', current: string): { history: History; line: string } {
  const draft = h.index === h.entries.length ? current : h.draft;
  const index = dir === 'up' ? Math.max(0, h.index - 1) : Math.min(h.entries.length, h.index + 1);
  const line = index === h.entries.length ? draft : h.entries[index];
  return { history: { entries: h.entries, index, draft }, line };
}

/**
 * Split pasted text into the commands to run, in order. Blank lines and `#` comments are dropped;
 * a trailing backslash joins a line with the next one, as a shell does.
 */
export function splitPastedCommands(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += (pending ? line.slice(0, -1).trim() : line.slice(0, -1).trimEnd()) + ' ';
      continue;
    }
    const full = (pending + (pending ? line.trim() : line)).trim();
    pending = '';
    if (full && !full.startsWith('#')) out.push(full.replace(/^\$\s+/, ''));
  }
  if (pending.trim()) out.push(pending.trim());
  return out;
}
