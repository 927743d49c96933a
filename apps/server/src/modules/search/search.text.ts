/**
 * Text handling shared by both index implementations and by the snippet builder, so that what is
 * indexed, what is queried and what is highlighted are cut the same way.
 *
 * - A Han character is a token of its own; a run of other letters and digits is one token (lower-cased),
 *   so `王伟` is two tokens, `A0001`, `2003` and an ID number `11010519700512012X` one each.
 * - Every token keeps its offsets `[start, end)` in the original text (UTF-16 units, as JavaScript and
 *   the browser count them).
 * - Two Han tokens with nothing between them are *adjacent*; adjacent pairs are also indexed as one
 *   bigram token at the first character's position. A query for `王伟` asks for the bigram `王伟`, which
 *   is rare, instead of intersecting the very common `王` and `伟`, and cannot match `王大伟`, `伟王` or
 *   `王，伟`.
 */

export interface Token {
  /** The token as indexed: a Han character, or a lower-cased run of letters and digits. */
  t: string;
  start: number;
  end: number;
  han: boolean;
}

const RUN = /[\p{L}\p{N}]+/gu;
const HAN = /[\p{Script=Han}\u3007]/u;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(RUN)) {
    let word = '';
    let wordStart = 0;
    let i = m.index;
    const flush = (end: number) => {
      if (word) out.push({ t: word.toLowerCase(), start: wordStart, end, han: false });
      word = '';
    };
    for (const ch of m[0]) {
      if (HAN.test(ch)) {
        flush(i);
        out.push({ t: ch, start: i, end: i + ch.length, han: true });
      } else {
        if (!word) wordStart = i;
        word += ch;
      }
      i += ch.length;
    }
    flush(i);
  }
  return out;
}

export function adjacent(a: Token | undefined, b: Token | undefined): boolean {
  return !!a && !!b && a.han && b.han && a.end === b.start;
}

/** The unigram stream: one token a position. */
export function unigramStream(tokens: Token[]): string[] {
  return tokens.map((t) => t.t);
}

/**
 * The bigram stream, aligned with the unigram stream: at each position the bigram starting there, or
 * (at the last character of a Han run, and for words) the token itself.
 */
export function bigramStream(tokens: Token[]): string[] {
  return tokens.map((t, i) => (adjacent(t, tokens[i + 1]) ? t.t + tokens[i + 1]!.t : t.t));
}

// ------------------------------------------------------------------ queries

/** A sequence of tokens that must occur in this order at consecutive positions. */
export interface Phrase {
  tokens: Token[];
}

/**
 * A parsed query: every clause must match (AND); a clause matches when any of its phrases does (OR);
 * no `not` phrase may match.
 */
export interface ParsedQuery {
  must: Phrase[][];
  not: Phrase[];
}

interface RawTerm {
  text: string;
  negated: boolean;
  or: boolean;
}

/**
 * Parses the user's query. Syntax: words separated by spaces (AND), `OR` (or `|`) between words,
 * `-word` or `NOT word` to exclude, `"…"` for a phrase. Anything else is plain text: the tokenizer
 * drops punctuation and operators of the index languages, so nothing the user types reaches FTS5 or
 * tsquery syntax.
 */
export function parseQuery(input: string): ParsedQuery {
  const raw: RawTerm[] = [];
  let negateNext = false;
  let orNext = false;
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of input.matchAll(re)) {
    let text: string;
    let negated = negateNext;
    if (m[2] !== undefined) {
      text = m[2];
      if (m[1]) negated = true;
    } else {
      const word = m[3]!;
      if (word === 'OR' || word === '|' || word === '||') {
        orNext = raw.length > 0;
        continue;
      }
      if (word === 'NOT') {
        negateNext = true;
        continue;
      }
      if (word === 'AND' || word === '&&') continue;
      if (word.startsWith('-') && word.length > 1) {
        negated = true;
        text = word.slice(1);
      } else text = word;
    }
    negateNext = false;
    raw.push({ text, negated, or: orNext && !negated });
    orNext = false;
  }
  const must: Phrase[][] = [];
  const not: Phrase[] = [];
  for (const term of raw) {
    const tokens = tokenize(term.text);
    if (tokens.length === 0) continue;
    const phrase = { tokens };
    if (term.negated) not.push(phrase);
    else if (term.or && must.length > 0) must[must.length - 1]!.push(phrase);
    else must.push([phrase]);
  }
  return { must, not };
}

/**
 * The phrase as lexemes at offsets from its first position: adjacent Han pairs become one bigram at
 * the first character's offset; a Han character already covered by the bigram before it is skipped.
 */
export function phraseLexemes(phrase: Phrase): { lexeme: string; offset: number }[] {
  const ts = phrase.tokens;
  const out: { lexeme: string; offset: number }[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (adjacent(ts[i], ts[i + 1])) out.push({ lexeme: ts[i]!.t + ts[i + 1]!.t, offset: i });
    else if (!adjacent(ts[i - 1], ts[i])) out.push({ lexeme: ts[i]!.t, offset: i });
  }
  return out;
}

/**
 * The phrase as one string when it is a single run of adjacent Han characters (`参加工作`), else null.
 * For such a phrase, "the tokens at consecutive positions, each pair adjacent" is exactly "the string
 * occurs in the text": a Han token is one character and adjacent means nothing between.
 */
export function hanRun(phrase: Phrase): string | null {
  const ts = phrase.tokens;
  if (!ts.every((t, i) => t.han && (i === 0 || adjacent(ts[i - 1], t)))) return null;
  return ts.map((t) => t.t).join('');
}

/**
 * The literal pieces of a phrase as they appear in a text: each run of adjacent Han characters, and
 * each word (lower-cased). Used to count how often a hit occurs, for ranking.
 */
export function literalPieces(phrase: Phrase): { text: string; han: boolean }[] {
  const out: { text: string; han: boolean }[] = [];
  phrase.tokens.forEach((t, i) => {
    const last = out[out.length - 1];
    if (last && adjacent(phrase.tokens[i - 1], t)) last.text += t.t;
    else out.push({ text: t.t, han: t.han });
  });
  return out;
}

// ------------------------------------------------------------------ matching, for snippets and boxes

/** Where the query's positive phrases occur in a text: `[start, end)` ranges, in order, not overlapping. */
export function matchRanges(text: string, query: ParsedQuery, tokens = tokenize(text)): [number, number][] {
  const ranges: [number, number][] = [];
  for (const phrase of query.must.flat()) {
    const p = phrase.tokens;
    for (let j = 0; j + p.length <= tokens.length; j++) {
      let ok = true;
      for (let k = 0; k < p.length && ok; k++) {
        if (tokens[j + k]!.t !== p[k]!.t) ok = false;
        else if (k + 1 < p.length && adjacent(p[k], p[k + 1]) && !adjacent(tokens[j + k], tokens[j + k + 1])) ok = false;
      }
      if (ok) ranges.push([tokens[j]!.start, tokens[j + p.length - 1]!.end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

export interface Snippet {
  text: string;
  highlights: [number, number][];
}

/** A window of the text around the first hit, line breaks shown as spaces, with the hits inside it. */
export function snippet(text: string, ranges: [number, number][], width = 96): Snippet {
  const first = ranges[0];
  let start = 0;
  if (first && text.length > width) start = Math.max(0, Math.min(first[0] - Math.floor(width / 3), text.length - width));
  const end = Math.min(text.length, start + width);
  return {
    text: text.slice(start, end).replace(/[\r\n\t]/g, ' '),
    highlights: ranges.filter((r) => r[1] > start && r[0] < end).map((r) => [Math.max(r[0], start) - start, Math.min(r[1], end) - start]),
  };
}

export interface OcrLine {
  text: string;
  box: [number, number, number, number];
}

export interface HitBox {
  line: number;
  box: [number, number, number, number];
  hitBox: [number, number, number, number];
}

/**
 * The OCR lines a page's hits fall on (the page text is the lines joined with "\n"), with the hit's
 * part of each line's box, estimated from the character positions along the line.
 */
export function hitBoxes(text: string, lines: OcrLine[], ranges: [number, number][]): HitBox[] {
  const out: HitBox[] = [];
  let lineStart = 0;
  const parts = text.split('\n');
  parts.forEach((lineText, index) => {
    const lineEnd = lineStart + lineText.length;
    const line = lines[index];
    if (line) {
      for (const [s, e] of ranges) {
        if (e <= lineStart || s >= lineEnd) continue;
        const [x, y, w, h] = line.box;
        const len = Math.max(1, lineText.length);
        const from = (Math.max(s, lineStart) - lineStart) / len;
        const to = (Math.min(e, lineEnd) - lineStart) / len;
        out.push({ line: index, box: line.box, hitBox: [Math.round(x + w * from), y, Math.max(1, Math.round(w * (to - from))), h] });
      }
    }
    lineStart = lineEnd + 1;
  });
  return out;
}

// ------------------------------------------------------------------ catalogue documents

/** The searchable text of a cadre: name, pinyin initials, ID number, 档案号. */
export function cadreDocText(c: { name: string; name_initials: string; id_number: string | null; dossier_no: string | null }): string {
  return [c.name, c.name_initials, c.id_number, c.dossier_no].filter((s): s is string => !!s).join(' ');
}

/** The searchable text of a material: its name and formation date, in ISO and in Chinese form. */
export function materialDocText(m: { name: string; formed_on: string | null }): string {
  if (!m.formed_on) return m.name;
  const [y, mo, d] = m.formed_on.split('-');
  const chinese = `${y}年${mo ? `${Number(mo)}月` : ''}${d ? `${Number(d)}日` : ''}`;
  return `${m.name} ${m.formed_on} ${chinese}`;
}
