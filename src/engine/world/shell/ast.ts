/**
 * The syntax tree of the POSIX-ish shell that runs inside simulated containers. Names follow the
 * POSIX shell grammar (XCU 2.10): list, and-or, pipeline, simple command, compound commands.
 */

/** One piece of a word, before expansion. `q` = quoted: no field splitting, no globbing. */
export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  /** `$name`, `${name}`, `${name:-word}`, `${#name}`… (`op` is `:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`, `#len`). */
  | { t: 'param'; name: string; op?: string; arg?: Word; q: boolean }
  /** `$(…)` or backticks: the source, parsed when run. */
  | { t: 'cmd'; src: string; q: boolean }
  /** `$((…))`: the expression source. */
  | { t: 'arith'; src: string; q: boolean };

export interface Word {
  parts: WordPart[];
  /** The word as written (for messages and reserved-word checks). */
  raw: string;
}

export type RedirOp = '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<' | '<<<';

export interface Redirect {
  op: RedirOp;
  /** Explicit file descriptor (`2>`), else the operator's default (0 for `<`, 1 for `>`). */
  fd?: number;
  target: Word;
  /** Here-document body (for `<<`), already read. */
  heredoc?: string;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirs: Redirect[];
}

export interface IfCommand {
  type: 'if';
  clauses: { cond: List; body: List }[];
  elseBody?: List;
  redirs: Redirect[];
}

export interface LoopCommand {
  type: 'while' | 'until';
  cond: List;
  body: List;
  redirs: Redirect[];
}

export interface ForCommand {
  type: 'for';
  name: string;
  /** undefined = `for x; do` (iterate "$@"). */
  items?: Word[];
  body: List;
  redirs: Redirect[];
}

export interface CaseCommand {
  type: 'case';
  subject: Word;
  arms: { patterns: Word[]; body: List }[];
  redirs: Redirect[];
}

export interface GroupCommand {
  type: 'group' | 'subshell';
  body: List;
  redirs: Redirect[];
}

export interface FunctionDef {
  type: 'function';
  name: string;
  body: Command;
  redirs: Redirect[];
}

export type Command = SimpleCommand | IfCommand | LoopCommand | ForCommand | CaseCommand | GroupCommand | FunctionDef;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface List {
  items: { andOr: AndOr; background: boolean }[];
}
