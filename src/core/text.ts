/**
 * Text normalization and word splitting shared by the tokenizer, snippets and the indexer.
 *
 * normalize: NFKC, lowercase, nonspacing combining marks removed ("Café" -> "cafe").
 * Words: runs of letters, digits and marks; every CJK ideograph is a word of its own. Everything else that
 * is not whitespace or a control/format character is punctuation (one character per token).
 */

const NONSPACING_MARK = /\p{Mn}/gu;
const PURE_ASCII = /^[\x00-\x7f]*$/;
const WHOLE_WORD = /^[\p{L}\p{N}\p{M}]+$/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const IDEOGRAPH_CHAR = /^\p{Ideographic}$/u;
const SEPARATOR_CHAR = /^[\s\p{C}]$/u;

/** Character classes of the scanner. */
const SEP = 0; // whitespace, control, format, unassigned: skipped
const WORD = 1; // letter, digit or mark: part of a word run
const IDEO = 2; // CJK ideograph: a word by itself
const PUNCT = 3; // anything else: a one-character token

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_CLASS[c] = /[a-zA-Z0-9]/.test(ch) ? WORD : /[\s\x00-\x1f\x7f]/.test(ch) ? SEP : PUNCT;
}
const classCache = new Map<number, number>();

function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp];
  let k = classCache.get(cp);
  if (k === undefined) {
    const ch = String.fromCodePoint(cp);
    k = IDEOGRAPH_CHAR.test(ch) ? IDEO : WORD_CHAR.test(ch) ? WORD : SEPARATOR_CHAR.test(ch) ? SEP : PUNCT;
    if (classCache.size < 100_000) classCache.set(cp, k);
  }
  return k;
}

/**
 * Calls `emit(start, end, isWord)` for every word (run of letters/digits/marks, or one ideograph) and every
 * punctuation/symbol character of `text`, in order; offsets are UTF-16 offsets into `text`.
 */
function scan(text: string, emit: (start: number, end: number, isWord: boolean) => void): void {
  const n = text.length;
  let runStart = -1;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const k = classOf(cp);
    if (k === WORD) {
      if (runStart < 0) runStart = i;
    } else {
      if (runStart >= 0) {
        emit(runStart, i, true);
        runStart = -1;
      }
      if (k === IDEO) emit(i, i + width, true);
      else if (k === PUNCT) emit(i, i + width, false);
    }
    i += width;
  }
  if (runStart >= 0) emit(runStart, n, true);
}

/** Normalizes text for matching: NFKC, lowercase, nonspacing combining marks stripped. */
export function normalize(text: string): string {
  if (PURE_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(NONSPACING_MARK, '').normalize('NFC');
}

/** True when the (normalized) piece is a word (letters/digits), false for a punctuation or symbol character. */
export function isWordPiece(piece: string): boolean {
  const c = piece.charCodeAt(0);
  if (piece.length === 1 && c < 128) return ASCII_CLASS[c] === WORD;
  return WHOLE_WORD.test(piece);
}

/**
 * Pre-tokenizes ALREADY NORMALIZED text into words and single punctuation characters, in order
 * (what the tokenizer encodes). `pieces(normalize("Hello, wörld"))` -> `["hello", ",", "world"]`.
 */
export function pieces(normalized: string): string[] {
  const out: string[] = [];
  scan(normalized, (start, end) => out.push(normalized.slice(start, end)));
  return out;
}

/** A word of the original text: [start, end) are UTF-16 offsets into the original text, `norm` its normalized form. */
export interface WordSpan {
  /** Offset of the first character in the original text. */
  start: number;
  /** Offset just past the last character in the original text. */
  end: number;
  /** The normalized word (as `words()` returns it). */
  norm: string;
}

/**
 * Words of a text with their offsets in the ORIGINAL text (for highlighting).
 * `wordSpans("Café au lait")` -> `[{start: 0, end: 4, norm: "cafe"}, ...]`.
 */
export function wordSpans(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  const ascii = PURE_ASCII.test(text);
  scan(text, (start, end, isWord) => {
    if (!isWord) return;
    const word = text.slice(start, end);
    if (ascii) {
      out.push({ start, end, norm: word.toLowerCase() });
      return;
    }
    // Normalization may turn one word into several or none (e.g. "½" -> "1⁄2"): all share the span.
    const norm = normalize(word);
    scan(norm, (s, e, w) => {
      if (w) out.push({ start, end, norm: norm.slice(s, e) });
    });
  });
  return out;
}

/** Normalized words of a text, in order (punctuation dropped). `words("Héllo, World!")` -> `["hello", "world"]`. */
export function words(text: string): string[] {
  return wordSpans(text).map((s) => s.norm);
}
