import { parseAllDocuments } from 'yaml';

/** An error at a 1-based line of the editor's text. */
export interface LineError {
  line: number;
  message: string;
}

/**
 * YAML syntax errors, found locally while typing (before anything is sent to the cluster).
 * Only syntax: whether the object is a valid Kubernetes object is the API server's call.
 */
export function yamlSyntaxErrors(text: string): LineError[] {
  const out: LineError[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: true })) {
    if (!('errors' in doc)) continue;
    for (const e of doc.errors) {
      out.push({ line: e.linePos?.[0]?.line ?? lineAt(text, e.pos[0]), message: firstLine(e.message) });
    }
  }
  return out;
}

/**
 * Line numbers kubectl puts in its error text, e.g. `yaml: line 7: mapping values are not allowed`
 * or `error converting YAML to JSON: yaml: line 3: did not find expected key`. Used when the apply
 * result has output but no structured errors.
 */
export function errorsFromOutput(output: string): LineError[] {
  const out: LineError[] = [];
  for (const raw of output.split('\n')) {
    const m = /\bline (\d+)(?:, column \d+)?:\s*(.*)$/.exec(raw);
    if (m) out.push({ line: Number(m[1]), message: m[2].trim() || raw.trim() });
  }
  return out;
}

/**
 * The character range to underline for a 1-based line: from its first non-blank character to its
 * end. Lines outside the text are clamped to the first/last line.
 */
export function lineRange(text: string, line: number): { from: number; to: number; line: number } {
  const lines = text.split('\n');
  const n = Math.min(Math.max(1, Math.floor(line) || 1), lines.length);
  let from = 0;
  for (let i = 0; i < n - 1; i++) from += lines[i].length + 1;
  const content = lines[n - 1];
  const indent = content.length - content.trimStart().length;
  return { from: from + (indent < content.length ? indent : 0), to: from + content.length, line: n };
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The yaml library's first message line, without its own "at line L, column C:" suffix (we show the line). */
function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\s+at line \d+, column \d+:?\s*$/, '').trim();
}
