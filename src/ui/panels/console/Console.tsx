import { useCallback, useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { complete } from './completion';
import { createHistory, pushHistory, splitPastedCommands, walkHistory, type History } from './history';

/** What one console line printed. */
export interface ConsoleResult {
  output: string;
  exitCode: number;
}

/** Props of {@link Console}. */
export interface ConsoleProps {
  /** Runs one `kubectl …`, `k …` or `sim …` line (the Session interpreter decides what it means). */
  run(line: string): Promise<ConsoleResult>;
  /** Object names to offer for Tab completion of the word under the cursor (pods, nodes, …). */
  completions(line: string): string[];
  /** Earlier commands for ArrowUp, oldest first. */
  initialHistory?: string[];
  /** Shown before the first command. */
  banner?: string;
}

interface Entry {
  id: number;
  command: string;
  output: string;
  exitCode: number | null;
}

const PLACEHOLDER = 'kubectl get pods -o wide';
const SUGGESTIONS = ['kubectl get nodes', 'kubectl get pods -o wide', 'kubectl get events', 'sim kill-node node-1', 'sim advance 1m'];

/**
 * A terminal-like kubectl console: a real labelled `<input>` (screen readers and Playwright find it
 * as "kubectl console"), monospace scrollback that keeps kubectl's column alignment, history,
 * Tab completion, Ctrl+L / `clear`, and multi-line paste that runs each command in order.
 *
 * @example
 * <Console run={(l) => worker.exec(l)} completions={(l) => namesFor(l)} />
 */
export function Console({ run, completions, initialHistory, banner }: ConsoleProps) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [input, setInput] = useState('');
  const [history, setHistory] = useState<History>(() => createHistory(initialHistory ?? []));
  const [candidates, setCandidates] = useState<string[]>([]);
  const [busy, setBusy] = useState(0);
  const nextId = useRef(1);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const scroller = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const submit = useCallback(
    (line: string) => {
      const command = line.trim();
      setHistory((h) => pushHistory(h, command));
      setCandidates([]);
      if (command === 'clear') {
        // Queued so a pasted "clear" clears what the lines before it printed, not lines after it.
        queue.current = queue.current.then(() => setEntries([]));
        return;
      }
      const id = nextId.current++;
      setEntries((es) => [...es, { id, command, output: '', exitCode: null }]);
      if (!command) return finish(id, '', 0);
      setBusy((b) => b + 1);
      queue.current = queue.current.then(async () => {
        let result: ConsoleResult;
        try {
          result = await run(command);
        } catch (e) {
          result = { output: `error: ${(e as Error).message ?? String(e)}\n`, exitCode: 1 };
        }
        finish(id, result.output, result.exitCode);
        setBusy((b) => b - 1);
      });
      function finish(entryId: number, output: string, exitCode: number) {
        setEntries((es) => es.map((e) => (e.id === entryId ? { ...e, output, exitCode } : e)));
      }
    },
    [run],
  );

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit(input);
      setInput('');
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const r = walkHistory(history, e.key === 'ArrowUp' ? 'up' : 'down', input);
      setHistory(r.history);
      setInput(r.line);
    } else if (e.key === 'Tab') {
      if (e.shiftKey) return; // keep Shift+Tab for leaving the console (no keyboard trap)
      if (!input.trim() && !e.ctrlKey) {
        // Empty line: let Tab move focus so keyboard users are never trapped in the console.
        return;
      }
      e.preventDefault();
      const c = complete(input, completions(input));
      setInput(c.line);
      setCandidates(c.candidates.length > 1 ? c.candidates : []);
    } else if (e.key === 'l' && e.ctrlKey) {
      e.preventDefault();
      setEntries([]);
    } else if (e.key === 'c' && e.ctrlKey && !window.getSelection()?.toString()) {
      e.preventDefault();
      setEntries((es) => [...es, { id: nextId.current++, command: input + '^C', output: '', exitCode: 0 }]);
      setInput('');
    } else if (e.key === 'Escape') {
      setCandidates([]);
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text');
    if (!/[\r\n]/.test(text)) return;
    e.preventDefault();
    const el = e.currentTarget;
    const before = input.slice(0, el.selectionStart ?? input.length);
    const after = input.slice(el.selectionEnd ?? input.length);
    const endsWithNewline = /[\r\n]$/.test(text);
    const lines = splitPastedCommands(before + text + (endsWithNewline ? '' : after));
    // Like a terminal: every complete line runs; an unterminated last line stays in the input.
    const keep = endsWithNewline ? after : lines.pop() ?? '';
    for (const l of lines) submit(l);
    setInput(keep);
  };

  return (
    <section className="pp-panel pp-console" aria-label="Console" onClick={() => window.getSelection()?.toString() || inputRef.current?.focus()}>
      <div className="pp-console-scroll" ref={scroller} role="log" aria-label="Console output" tabIndex={0}>
        {banner && <pre className="pp-console-banner">{banner}</pre>}
        {entries.length === 0 && !banner && (
          <p className="pp-console-empty">
            Type a command, e.g. <code>{PLACEHOLDER}</code>. Lines start with <code>kubectl</code>, <code>k</code> or{' '}
            <code>sim</code>.
          </p>
        )}
        {entries.map((e) => (
          <div key={e.id} className="pp-console-entry" data-exit-code={e.exitCode ?? undefined}>
            <div className="pp-console-cmd">
              <span className="pp-prompt" aria-hidden="true">
                $
              </span>{' '}
              {e.command}
            </div>
            {e.exitCode === null ? (
              <div className="pp-console-running">running…</div>
            ) : (
              e.output && <pre className={e.exitCode === 0 ? 'pp-console-out' : 'pp-console-out pp-console-error'}>{e.output}</pre>
            )}
          </div>
        ))}
      </div>
      <div className="pp-console-inputrow">
        <span className="pp-prompt" aria-hidden="true">
          $
        </span>
        <input
          ref={inputRef}
          className="pp-console-input"
          aria-label="kubectl console"
          aria-describedby={hintId}
          value={input}
          placeholder={PLACEHOLDER}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          onChange={(e) => {
            setInput(e.target.value);
            if (candidates.length) setCandidates([]);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {busy > 0 && <span className="pp-spinner" role="status" aria-label="Running" />}
      </div>
      <div className="pp-console-hints" id={hintId}>
        {candidates.length > 0 ? (
          <span className="pp-candidates" aria-live="polite">
            {candidates.slice(0, 24).join('  ')}
            {candidates.length > 24 ? `  … ${candidates.length - 24} more` : ''}
          </span>
        ) : (
          <span>
            <kbd>Tab</kbd> complete · <kbd>↑</kbd>
            <kbd>↓</kbd> history · <kbd>Ctrl</kbd>+<kbd>L</kbd> clear · paste several lines to run them in order
          </span>
        )}
      </div>
      {entries.length === 0 && (
        <div className="pp-console-suggestions" aria-label="Suggested commands" role="group">
          {SUGGESTIONS.map((s) => (
            <button key={s} type="button" className="pp-chip" onClick={() => submit(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
