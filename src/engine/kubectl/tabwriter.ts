/**
 * A port of the behaviour of Go's text/tabwriter (space padding, no flags), which kubectl uses for
 * every table: cells are tab-terminated, the text after the last tab of a line is not aligned, and a
 * column is aligned only over a block of consecutive lines that all have a cell in it.
 *
 * `kubectl get` uses minwidth 6, padding 3 (printers.GetNewTabWriter); `describe` uses minwidth 0,
 * padding 2. Output is byte-identical to Go's for plain-ASCII cells.
 *
 * @example
 * tabwrite(['NAME\tREADY\tSTATUS', 'web\t1/1\tRunning'].join('\n') + '\n', 6, 3)
 * // "NAME   READY   STATUS\nweb    1/1     Running\n"
 */
export function tabwrite(text: string, minwidth: number, padding: number): string {
  const rawLines = text.split('\n');
  const trailingNewline = rawLines[rawLines.length - 1] === '';
  if (trailingNewline) rawLines.pop();
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        s += c;
        if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - c.length));
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i].length - 1) continue;
      writeLines(start, i);
      start = i;
      let width = minwidth;
      for (; i < line1; i++) {
        if (column >= lines[i].length - 1) break;
        width = Math.max(width, lines[i][column].length + padding);
      }
      widths.push(width);
      format(start, i);
      widths.pop();
      start = i;
      i--; // the outer loop's i++ re-examines line i
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}

/** Render rows as `kubectl get` does (columns separated by at least 3 spaces, minimum width 6). */
export function printTable(rows: string[][]): string {
  return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', 6, 3);
}
