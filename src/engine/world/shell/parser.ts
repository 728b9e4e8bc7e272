/**
 * Lexer and recursive-descent parser for the shell one-liners that manifests use
 * (`sh -c 'while true; do echo $(date) >> /html/index.html; sleep 1; done'`).
 *
 * Errors are {@link ShellSyntaxError}s worded like busybox ash (`syntax error: unexpected "fi"`,
 * `syntax error: unterminated quoted string`); the interpreter prints them as `sh: …` and exits 2.
 */
import type { AndOr, Command, List, Pipeline, Redirect, RedirOp, Word, WordPart } from './ast';

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(`syntax error: ${message}`);
    this.name = 'ShellSyntaxError';
  }
}

type Token =
  | { k: 'word'; word: Word }
  | { k: 'op'; v: string }
  | { k: 'redir'; op: RedirOp; fd?: number }
  | { k: 'nl' }
  | { k: 'eof' };

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Turn source into tokens. Here-documents are read at the newline that follows their operator. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const pendingHeredocs: { redir: Redirect; delim: string; strip: boolean }[] = [];

  function readUntilClose(open: string, close: string, start: number): number {
    // Returns the index of the matching `close`, skipping quotes and nested pairs.
    let depth = 1;
    let j = start;
    while (j < src.length) {
      const c = src[j];
      if (c === '\\') {
        j += 2;
        continue;
      }
      if (c === "'") {
        const e = src.indexOf("'", j + 1);
        if (e < 0) throw new ShellSyntaxError('unterminated quoted string');
        j = e + 1;
        continue;
      }
      if (c === '"') {
        j = skipDouble(j + 1);
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) return j;
      }
      j++;
    }
    throw new ShellSyntaxError(`unexpected end of file (expecting "${close}")`);
  }

  function skipDouble(j: number): number {
    while (j < src.length) {
      const c = src[j];
      if (c === '\\') j += 2;
      else if (c === '"') return j + 1;
      else if (c === '$' && src[j + 1] === '(') j = readUntilClose('(', ')', j + 2) + 1;
      else j++;
    }
    throw new ShellSyntaxError('unterminated quoted string');
  }

  /** Parse a `$…` expansion at src[i] === '$'; returns the part and the index after it. */
  function dollar(j: number, q: boolean): [WordPart, number] {
    const n = src[j + 1];
    if (n === '(' && src[j + 2] === '(') {
      // $(( … )): find the matching pair of closing parens.
      const end = readUntilClose('(', ')', j + 3);
      if (src[end + 1] !== ')') throw new ShellSyntaxError('unexpected end of file (expecting "))")');
      return [{ t: 'arith', src: src.slice(j + 3, end), q }, end + 2];
    }
    if (n === '(') {
      const end = readUntilClose('(', ')', j + 2);
      return [{ t: 'cmd', src: src.slice(j + 2, end), q }, end + 1];
    }
    if (n === '{') {
      const end = readUntilClose('{', '}', j + 2);
      const body = src.slice(j + 2, end);
      return [braceParam(body, q), end + 1];
    }
    if (n !== undefined && /[?$!#@*0-9-]/.test(n)) return [{ t: 'param', name: n, q }, j + 2];
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(j + 1));
    if (m) return [{ t: 'param', name: m[0], q }, j + 1 + m[0].length];
    return [{ t: 'lit', v: '$', q }, j + 1];
  }

  function braceParam(body: string, q: boolean): WordPart {
    if (body.startsWith('#') && body.length > 1) return { t: 'param', name: body.slice(1), op: '#len', q };
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$!#@*0-9])(:?[-=+?]|##?|%%?)?([\s\S]*)$/.exec(body);
    if (!m) throw new ShellSyntaxError('bad substitution');
    const [, name, op, rest] = m;
    if (!op) {
      if (rest) throw new ShellSyntaxError('bad substitution');
      return { t: 'param', name, q };
    }
    return { t: 'param', name, op, arg: parseWordText(rest), q };
  }

  function readWord(): Word {
    const start = i;
    const parts: WordPart[] = [];
    let lit = '';
    let litQ = false;
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, q: litQ });
      lit = '';
    };
    const addLit = (s: string, q: boolean) => {
      if (lit && litQ !== q) flush();
      litQ = q;
      lit += s;
    };
    while (i < src.length && !META.has(src[i])) {
      const c = src[i];
      if (c === '\\') {
        if (src[i + 1] === '\n') i += 2;
        else {
          if (i + 1 < src.length) addLit(src[i + 1], true);
          i += 2;
        }
      } else if (c === "'") {
        const e = src.indexOf("'", i + 1);
        if (e < 0) throw new ShellSyntaxError('unterminated quoted string');
        if (e === i + 1) {
          flush();
          parts.push({ t: 'lit', v: '', q: true });
        } else addLit(src.slice(i + 1, e), true);
        i = e + 1;
      } else if (c === '"') {
        const e = skipDouble(i + 1) - 1;
        let j = i + 1;
        if (e === j) {
          flush();
          parts.push({ t: 'lit', v: '', q: true });
        }
        while (j < e) {
          const d = src[j];
          if (d === '\\' && '$`"\\\n'.includes(src[j + 1])) {
            if (src[j + 1] !== '\n') addLit(src[j + 1], true);
            j += 2;
          } else if (d === '$') {
            flush();
            const [p, nj] = dollar(j, true);
            if (p.t === 'lit') addLit(p.v, true);
            else parts.push(p);
            j = nj;
          } else if (d === '`') {
            flush();
            const end = src.indexOf('`', j + 1);
            if (end < 0 || end > e) throw new ShellSyntaxError('unterminated quoted string');
            parts.push({ t: 'cmd', src: src.slice(j + 1, end), q: true });
            j = end + 1;
          } else {
            addLit(d, true);
            j++;
          }
        }
        i = e + 1;
      } else if (c === '$') {
        flush();
        const [p, nj] = dollar(i, false);
        if (p.t === 'lit') addLit(p.v, false);
        else parts.push(p);
        i = nj;
      } else if (c === '`') {
        flush();
        const end = src.indexOf('`', i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        parts.push({ t: 'cmd', src: src.slice(i + 1, end), q: false });
        i = end + 1;
      } else {
        addLit(c, false);
        i++;
      }
    }
    flush();
    return { parts, raw: src.slice(start, i) };
  }

  function readHeredocs(): void {
    for (const h of pendingHeredocs.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (i >= src.length) break;
        let e = src.indexOf('\n', i);
        if (e < 0) e = src.length;
        let line = src.slice(i, e);
        i = e + 1;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      h.redir.heredoc = lines.map((l) => l + '\n').join('');
    }
  }

  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\n') {
      out.push({ k: 'nl' });
      i++;
      readHeredocs();
    } else if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      const two = src.slice(i, i + 2);
      const three = src.slice(i, i + 3);
      if (three === '&>>') {
        out.push({ k: 'redir', op: '&>>' });
        i += 3;
      } else if (two === '&>') {
        out.push({ k: 'redir', op: '&>' });
        i += 2;
      } else if (two === '&&' || two === '||' || two === ';;') {
        out.push({ k: 'op', v: two });
        i += 2;
      } else {
        out.push({ k: 'op', v: c });
        i++;
      }
    } else if (c === '<' || c === '>') {
      i = redirect(undefined, i);
    } else {
      const w = readWord();
      if (/^\d+$/.test(w.raw) && (src[i] === '<' || src[i] === '>')) i = redirect(Number(w.raw), i);
      else out.push({ k: 'word', word: w });
    }
  }
  out.push({ k: 'eof' });
  return out;

  function redirect(fd: number | undefined, j: number): number {
    const two = src.slice(j, j + 2);
    let op: RedirOp;
    if (src.slice(j, j + 3) === '<<<') {
      out.push({ k: 'redir', op: '<<<', fd });
      return j + 3;
    }
    if (two === '>>') op = '>>';
    else if (two === '>&') op = '>&';
    else if (two === '<&') op = '<&';
    else if (two === '>|') op = '>';
    else if (two === '<<') op = '<<';
    else op = src[j] as RedirOp;
    j += op.length === 2 || two === '>|' ? 2 : 1;
    if (op === '<<') {
      let strip = false;
      if (src[j] === '-') {
        strip = true;
        j++;
      }
      while (src[j] === ' ' || src[j] === '\t') j++;
      i = j;
      const w = readWord();
      const delim = w.parts.map((p) => (p.t === 'lit' ? p.v : '')).join('');
      const tok: Token = { k: 'redir', op, fd };
      out.push(tok);
      const redir: Redirect = { op, fd, target: w };
      pendingHeredocs.push({ redir, delim, strip });
      // The parser picks the Redirect up through this side table.
      heredocRedirs.set(tok, redir);
      return i;
    }
    out.push({ k: 'redir', op, fd });
    return j;
  }
}

/** Here-doc redirect objects by token, filled by the lexer when it reads the body. */
const heredocRedirs = new WeakMap<Token, Redirect>();

/** Parse the text of a word that is not split into tokens (the `word` of `${x:-word}`). */
function parseWordText(text: string): Word {
  const toks = tokenize(`"${text.replace(/(["\\])/g, '\\$1').replace(/\\\\\$/g, '$')}"`);
  const t = toks[0];
  if (t.k === 'word') return { parts: t.word.parts.map((p) => ({ ...p, q: false })), raw: text };
  return { parts: [], raw: text };
}

function describe(t: Token): string {
  switch (t.k) {
    case 'word':
      return t.word.raw;
    case 'op':
      return t.v;
    case 'redir':
      return t.op;
    case 'nl':
      return 'newline';
    case 'eof':
      return 'end of file';
  }
}

function reservedOf(t: Token): string | undefined {
  if (t.k !== 'word') return undefined;
  const w = t.word;
  if (w.parts.length === 1 && w.parts[0].t === 'lit' && !w.parts[0].q && RESERVED.has(w.parts[0].v)) return w.parts[0].v;
  return undefined;
}

/** Parse a whole script. Throws {@link ShellSyntaxError}. */
export function parseScript(src: string): List {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];

  const unexpected = (t: Token): never => {
    if (t.k === 'eof') throw new ShellSyntaxError('unexpected end of file');
    throw new ShellSyntaxError(`unexpected "${describe(t)}"`);
  };

  const skipNewlines = () => {
    while (peek().k === 'nl') pos++;
  };

  function expectReserved(word: string): void {
    skipNewlines();
    const t = peek();
    if (reservedOf(t) === word) {
      pos++;
      return;
    }
    if (t.k === 'eof') throw new ShellSyntaxError(`unexpected end of file (expecting "${word}")`);
    unexpected(t);
  }

  function atListEnd(terminators: string[]): boolean {
    const t = peek();
    if (t.k === 'eof') return true;
    if (t.k === 'op' && (t.v === ')' || t.v === ';;')) return true;
    const r = reservedOf(t);
    return r !== undefined && terminators.includes(r);
  }

  function parseList(terminators: string[]): List {
    const list: List = { items: [] };
    skipNewlines();
    while (!atListEnd(terminators)) {
      const andOr = parseAndOr();
      let background = false;
      const t = peek();
      if (t.k === 'op' && (t.v === ';' || t.v === '&')) {
        background = t.v === '&';
        pos++;
      } else if (t.k === 'nl') {
        pos++;
      } else if (!atListEnd(terminators)) {
        unexpected(t);
      }
      list.items.push({ andOr, background });
      skipNewlines();
    }
    return list;
  }

  function parseAndOr(): AndOr {
    const first = parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = peek();
      if (t.k === 'op' && (t.v === '&&' || t.v === '||')) {
        pos++;
        skipNewlines();
        rest.push({ op: t.v, pipeline: parsePipeline() });
      } else break;
    }
    return { first, rest };
  }

  function parsePipeline(): Pipeline {
    let negate = false;
    if (reservedOf(peek()) === '!') {
      negate = true;
      pos++;
    }
    const commands = [parseCommand()];
    while (peek().k === 'op' && (peek() as { v: string }).v === '|') {
      pos++;
      skipNewlines();
      commands.push(parseCommand());
    }
    return { negate, commands };
  }

  function parseRedirs(into: Redirect[]): void {
    for (;;) {
      const t = peek();
      if (t.k !== 'redir') return;
      pos++;
      const h = heredocRedirs.get(t);
      if (h) {
        into.push(h);
        continue;
      }
      const target = next();
      if (target.k !== 'word') unexpected(target);
      into.push({ op: t.op, fd: t.fd, target: (target as { word: Word }).word });
    }
  }

  function parseCommand(): Command {
    const t = peek();
    const r = reservedOf(t);
    let cmd: Command;
    if (r === 'if') cmd = parseIf();
    else if (r === 'while' || r === 'until') {
      pos++;
      const cond = parseList(['do']);
      expectReserved('do');
      const body = parseList(['done']);
      expectReserved('done');
      cmd = { type: r, cond, body, redirs: [] };
    } else if (r === 'for') cmd = parseFor();
    else if (r === 'case') cmd = parseCase();
    else if (r === '{') {
      pos++;
      const body = parseList(['}']);
      expectReserved('}');
      if (!body.items.length) throw new ShellSyntaxError('unexpected "}"');
      cmd = { type: 'group', body, redirs: [] };
    } else if (t.k === 'op' && t.v === '(') {
      pos++;
      const body = parseList([]);
      const c = next();
      if (!(c.k === 'op' && c.v === ')')) {
        if (c.k === 'eof') throw new ShellSyntaxError('unexpected end of file (expecting ")")');
        unexpected(c);
      }
      cmd = { type: 'subshell', body, redirs: [] };
    } else if (r !== undefined) {
      return unexpected(t);
    } else {
      return parseSimple();
    }
    parseRedirs(cmd.redirs);
    return cmd;
  }

  function parseIf(): Command {
    pos++;
    const clauses: { cond: List; body: List }[] = [];
    let elseBody: List | undefined;
    const cond = parseList(['then']);
    expectReserved('then');
    clauses.push({ cond, body: parseList(['elif', 'else', 'fi']) });
    for (;;) {
      const r = reservedOf(peek());
      if (r === 'elif') {
        pos++;
        const c = parseList(['then']);
        expectReserved('then');
        clauses.push({ cond: c, body: parseList(['elif', 'else', 'fi']) });
      } else if (r === 'else') {
        pos++;
        elseBody = parseList(['fi']);
        expectReserved('fi');
        break;
      } else {
        expectReserved('fi');
        break;
      }
    }
    for (const c of clauses) if (!c.cond.items.length) throw new ShellSyntaxError('unexpected "then"');
    return { type: 'if', clauses, elseBody, redirs: [] };
  }

  function parseFor(): Command {
    pos++;
    const n = next();
    const name = n.k === 'word' ? n.word.raw : '';
    if (!NAME_RE.test(name)) throw new ShellSyntaxError(`bad for loop variable`);
    let items: Word[] | undefined;
    skipNewlines();
    if (reservedOf(peek()) === 'in') {
      pos++;
      items = [];
      while (peek().k === 'word') items.push((next() as { word: Word }).word);
      const t = peek();
      if ((t.k === 'op' && t.v === ';') || t.k === 'nl') pos++;
    } else if (peek().k === 'op' && (peek() as { v: string }).v === ';') pos++;
    expectReserved('do');
    const body = parseList(['done']);
    expectReserved('done');
    return { type: 'for', name, items, body, redirs: [] };
  }

  function parseCase(): Command {
    pos++;
    const s = next();
    if (s.k !== 'word') unexpected(s);
    const subject = (s as { word: Word }).word;
    expectReserved('in');
    const arms: { patterns: Word[]; body: List }[] = [];
    skipNewlines();
    while (reservedOf(peek()) !== 'esac') {
      if (peek().k === 'eof') throw new ShellSyntaxError('unexpected end of file (expecting "esac")');
      if (peek().k === 'op' && (peek() as { v: string }).v === '(') pos++;
      const patterns: Word[] = [];
      for (;;) {
        const p = next();
        if (p.k !== 'word') unexpected(p);
        patterns.push((p as { word: Word }).word);
        const sep = next();
        if (sep.k === 'op' && sep.v === '|') continue;
        if (sep.k === 'op' && sep.v === ')') break;
        unexpected(sep);
      }
      const body = parseList(['esac']);
      arms.push({ patterns, body });
      const t = peek();
      if (t.k === 'op' && t.v === ';;') pos++;
      skipNewlines();
    }
    pos++;
    return { type: 'case', subject, arms, redirs: [] };
  }

  function parseSimple(): Command {
    const cmd: Command = { type: 'simple', assigns: [], words: [], redirs: [] };
    const first = peek();
    if (first.k === 'word' && first.word.raw === '[[') {
      // `[[ … ]]` (bash, busybox ash): operators inside are plain words for the `[[` builtin.
      for (;;) {
        const t = next();
        if (t.k === 'eof' || t.k === 'nl') throw new ShellSyntaxError('unexpected end of file (expecting "]]")');
        const raw = t.k === 'word' ? t.word.raw : t.k === 'op' ? t.v : t.k === 'redir' ? t.op : '';
        cmd.words.push(t.k === 'word' ? t.word : { parts: [{ t: 'lit', v: raw, q: true }], raw });
        if (t.k === 'word' && raw === ']]') break;
      }
      parseRedirs(cmd.redirs);
      return cmd;
    }
    for (;;) {
      const t = peek();
      if (t.k === 'redir') {
        parseRedirs(cmd.redirs);
      } else if (t.k === 'word') {
        if (cmd.words.length === 0) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.word.raw);
          const first = t.word.parts[0];
          if (m && first?.t === 'lit' && !first.q && first.v.startsWith(m[0])) {
            pos++;
            const rest = [{ ...first, v: first.v.slice(m[0].length) }, ...t.word.parts.slice(1)];
            cmd.assigns.push({ name: m[1], value: { parts: rest, raw: t.word.raw.slice(m[0].length) } });
            continue;
          }
          // name() { …; }: a function definition.
          const after = toks[pos + 1];
          if (NAME_RE.test(t.word.raw) && after?.k === 'op' && after.v === '(' && toks[pos + 2]?.k === 'op') {
            const close = toks[pos + 2] as { v: string };
            if (close.v === ')') {
              pos += 3;
              skipNewlines();
              const body = parseCommand();
              return { type: 'function', name: t.word.raw, body, redirs: [] };
            }
          }
        }
        pos++;
        cmd.words.push(t.word);
      } else break;
    }
    if (!cmd.words.length && !cmd.assigns.length && !cmd.redirs.length) unexpected(peek());
    return cmd;
  }

  const list = parseList([]);
  if (peek().k !== 'eof') unexpected(peek());
  return list;
}
