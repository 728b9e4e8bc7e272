import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from 'react';
import { errorsFromOutput, type LineError } from './diagnostics';
import { YAML_EXAMPLES } from './examples';
import { safeStorage } from '../../storage';

// CodeMirror is ~150 KB gzip: load it only when the editor is first shown.
const CodeMirrorYaml = lazy(() => import('./CodeMirrorYaml'));

/** What applying the editor's text produced. */
export interface ApplyResult {
  output: string;
  exitCode: number;
  /** Errors at 1-based lines of the applied text (shown inline in the editor). */
  errors: LineError[];
}

/** Props of {@link YamlEditor}. */
export interface YamlEditorProps {
  /** Text shown the first time (a saved draft from an earlier visit wins). */
  initialText?: string;
  /** Applies the text (`kubectl apply -f -`). */
  onApply(text: string): Promise<ApplyResult>;
  onChange?(text: string): void;
  /** localStorage key for the draft; `null` disables saving. */
  storageKey?: string | null;
}

const DEFAULT_KEY = 'pod-playground:yaml-draft';

/**
 * A YAML manifest editor: CodeMirror 6 (lazily loaded) with highlighting, inline errors at the
 * lines the API server or YAML parser complained about, an Apply button and Ctrl/Cmd+Enter, the
 * apply output underneath, and an Examples menu. The draft survives reloads (localStorage, when
 * the page has any).
 */
export function YamlEditor({ initialText, onApply, onChange, storageKey = DEFAULT_KEY }: YamlEditorProps) {
  const [text, setText] = useState(() => (storageKey && safeStorage.get(storageKey)) ?? initialText ?? YAML_EXAMPLES[0].text);
  const [result, setResult] = useState<(ApplyResult & { text: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const textRef = useRef(text);
  textRef.current = text;

  useEffect(() => {
    if (storageKey) safeStorage.set(storageKey, text);
  }, [text, storageKey]);

  const change = useCallback(
    (t: string) => {
      setText(t);
      onChange?.(t);
    },
    [onChange],
  );

  const apply = useCallback(async () => {
    const applied = textRef.current;
    setBusy(true);
    try {
      const r = await onApply(applied);
      const errors = r.errors.length > 0 || r.exitCode === 0 ? r.errors : errorsFromOutput(r.output);
      setResult({ ...r, errors, text: applied });
    } catch (e) {
      setResult({ output: `error: ${(e as Error).message}\n`, exitCode: 1, errors: [], text: applied });
    } finally {
      setBusy(false);
    }
  }, [onApply]);

  const label = 'YAML manifest';
  return (
    <section className="pp-panel pp-yaml" aria-labelledby={`${id}-h`}>
      <header className="pp-panel-header">
        <h2 id={`${id}-h`}>Manifest</h2>
        <div className="pp-actions">
          <label className="pp-select">
            <span className="pp-visually-hidden">Examples</span>
            <select
              aria-label="Examples"
              value=""
              onChange={(e) => {
                const ex = YAML_EXAMPLES.find((x) => x.id === e.target.value);
                if (ex) change(ex.text);
              }}
            >
              <option value="" disabled>
                Examples…
              </option>
              {YAML_EXAMPLES.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="pp-button pp-primary" onClick={apply} disabled={busy} aria-keyshortcuts="Control+Enter Meta+Enter">
            Apply
          </button>
        </div>
      </header>
      <div className="pp-yaml-editor">
        <Suspense
          fallback={
            <textarea
              className="pp-yaml-fallback"
              aria-label={label}
              value={text}
              spellCheck={false}
              onChange={(e) => change(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void apply();
                }
              }}
            />
          }
        >
          <CodeMirrorYaml value={text} onChange={change} onSubmit={() => void apply()} errors={result?.errors ?? []} errorsText={result?.text ?? ''} label={label} />
        </Suspense>
      </div>
      <p className="pp-hint">
        <kbd>Ctrl</kbd>+<kbd>Enter</kbd> applies · <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor
      </p>
      <div className="pp-yaml-result" role="status" aria-live="polite">
        {busy && <span>Applying…</span>}
        {!busy && result && (
          <>
            {result.errors.length > 0 ? (
              // The errors carry the whole message; printing the raw output as well would say it twice.
              <ul className="pp-error-list">
                {result.errors.map((e, i) => (
                  <li key={i}>
                    <span className="pp-icon" aria-hidden="true">
                      ✗{' '}
                    </span>
                    Line {e.line}: {e.message.replace(/^error: /, '')}
                  </li>
                ))}
              </ul>
            ) : (
              <pre className={result.exitCode === 0 ? 'pp-console-out' : 'pp-console-out pp-console-error'}>{result.output || (result.exitCode === 0 ? 'applied\n' : 'error\n')}</pre>
            )}
          </>
        )}
      </div>
    </section>
  );
}
