import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';
import { lineRange, yamlSyntaxErrors, type LineError } from './diagnostics';

/** Props of the lazily loaded CodeMirror view. */
export interface CodeMirrorYamlProps {
  value: string;
  onChange(text: string): void;
  /** Ctrl/Cmd+Enter. */
  onSubmit(): void;
  /** Errors returned by the last apply, for the text `errorsText` they were found in. */
  errors: readonly LineError[];
  errorsText: string;
  label: string;
}

/** Colours come from the panels' CSS variables so light and dark themes both read well. */
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--pp-syntax-key)' },
  { tag: [t.string, t.special(t.string), t.content], color: 'var(--pp-syntax-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--pp-syntax-number)' },
  { tag: [t.comment, t.lineComment], color: 'var(--pp-muted)', fontStyle: 'italic' },
  { tag: [t.keyword, t.meta, t.labelName, t.typeName], color: 'var(--pp-syntax-keyword)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--pp-muted)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--pp-fg)', backgroundColor: 'var(--pp-code-bg)', height: '100%' },
  '.cm-content': { caretColor: 'var(--pp-fg)', fontFamily: 'var(--pp-mono)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--pp-fg)' },
  '.cm-gutters': { backgroundColor: 'var(--pp-panel-bg)', color: 'var(--pp-muted)', borderRight: '1px solid var(--pp-border)' },
  '.cm-activeLine': { backgroundColor: 'var(--pp-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--pp-active-line)', color: 'var(--pp-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--pp-selection)' },
  '.cm-tooltip': { backgroundColor: 'var(--pp-panel-bg)', color: 'var(--pp-fg)', border: '1px solid var(--pp-border)' },
  '.cm-scroller': { fontFamily: 'var(--pp-mono)', lineHeight: '1.5' },
});

/**
 * CodeMirror 6 with YAML highlighting and two kinds of lint diagnostics: YAML syntax errors found
 * while typing, and the errors the API server returned for the last apply (shown while the text is
 * unchanged since then). Loaded with React.lazy so it stays out of the initial bundle.
 */
export default function CodeMirrorYaml({ value, onChange, onSubmit, errors, errorsText, label }: CodeMirrorYamlProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, onSubmit, errors, errorsText });
  useEffect(() => {
    latest.current = { onChange, onSubmit, errors, errorsText };
  });

  useEffect(() => {
    const source = (v: EditorView): Diagnostic[] => {
      const text = v.state.doc.toString();
      const found: LineError[] = [...yamlSyntaxErrors(text)];
      if (text === latest.current.errorsText) found.push(...latest.current.errors);
      return found.map((e) => {
        const r = lineRange(text, e.line);
        return { from: r.from, to: r.to, severity: 'error', message: `line ${r.line}: ${e.message}` };
      });
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (latest.current.onSubmit(), true) }])),
          basicSetup,
          keymap.of([indentWithTab]),
          EditorState.tabSize.of(2),
          yaml(),
          syntaxHighlighting(highlight),
          theme,
          lintGutter(),
          linter(source, { delay: 300 }),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    // axe does not count the contenteditable inside as focusable content, so the scroller itself
    // takes focus (keyboard users can scroll a long manifest without entering it).
    v.scrollDOM.tabIndex = 0;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is created once; later value changes are pushed in by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [errors, errorsText]);

  return <div className="pp-cm-host" ref={host} />;
}
