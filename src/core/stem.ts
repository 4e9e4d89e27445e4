/**
 * An English stemmer: the Porter2 ("Snowball English") suffix-stripping algorithm, written here from its published
 * rules (M. F. Porter, "The English (Porter2) stemming algorithm", snowballstem.org). Stems are index keys, not
 * words: "running" -> "run", "generously" -> "generous", "studies" -> "studi", "university" -> "univers".
 *
 * Input is one lowercase word. Words that are not plain a-z (digits, accented or non-Latin letters) and words of
 * one or two letters are returned unchanged. Apostrophes never reach it (text.ts splits words at them), so the
 * algorithm's apostrophe handling reduces to its step 0 on the word as given.
 *
 * Definitions used below (from the published algorithm):
 *   vowels: a e i o u y;  R1: the region after the first non-vowel that follows a vowel (for words starting with
 *   "gener", "commun" or "arsen": the region after that prefix);  R2: the same rule applied again inside R1;
 *   short syllable: vowel + non-vowel other than w, x, Y preceded by a non-vowel, or vowel + non-vowel at the start;
 *   short word: ends in a short syllable and R1 is empty.
 *
 * @example
 *   stem('generously'); // 'generous'
 *   stem('cats');       // 'cat'
 */

/** Words with a fixed stem, checked before any rule. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['skis', 'ski'], ['skies', 'sky'], ['dying', 'die'], ['lying', 'lie'], ['tying', 'tie'],
  ['idly', 'idl'], ['gently', 'gentl'], ['ugly', 'ugli'], ['early', 'earli'], ['only', 'onli'], ['singly', 'singl'],
  ['sky', 'sky'], ['news', 'news'], ['howe', 'howe'], ['atlas', 'atlas'], ['cosmos', 'cosmos'], ['bias', 'bias'],
  ['andes', 'andes'],
]);

/** Words left as they are after step 1a. */
const AFTER_1A: ReadonlySet<string> = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);

const PLAIN = /^[a-z]+$/;

/** Is w[i] a vowel? ('Y', a consonant y, is not.) */
function isVowel(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121; // a e i o u y
}

/** Start of the region after the first non-vowel following a vowel, searching from `from` (w.length if none). */
function regionAfter(w: string, from: number): number {
  for (let i = from + 1; i < w.length; i++) {
    if (!isVowel(w, i) && isVowel(w, i - 1)) return i + 1;
  }
  return w.length;
}

/** Does w end in a short syllable? */
function endsShortSyllable(w: string): boolean {
  const n = w.length;
  if (n === 2) return isVowel(w, 0) && !isVowel(w, 1);
  if (n < 3) return false;
  const last = w[n - 1];
  return !isVowel(w, n - 3) && isVowel(w, n - 2) && !isVowel(w, n - 1) && last !== 'w' && last !== 'x' && last !== 'Y';
}

const DOUBLES: ReadonlySet<string> = new Set(['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
const LI_ENDING = /[cdeghkmnrt]$/;
const VOWEL_IN = /[aeiouy]/;

/** Step 2 suffixes, longest first within each ending (the longest match wins). */
const STEP2: readonly [string, string][] = [
  ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
  ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'],
  ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'],
  ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', ''],
];

/** Step 3 suffixes, longest first. */
const STEP3: readonly [string, string][] = [
  ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''],
  ['ical', 'ic'], ['ness', ''], ['ful', ''],
];

/** Step 4 suffixes, longest first. */
const STEP4: readonly string[] = [
  'ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion',
  'al', 'er', 'ic',
];

/** The Porter2 stem of one lowercase word (unchanged when it is not plain a-z or has fewer than 3 letters). */
export function stem(word: string): string {
  if (word.length <= 2 || !PLAIN.test(word)) return word;
  const fixed = EXCEPTIONS.get(word);
  if (fixed !== undefined) return fixed;

  // y at the start or after a vowel is a consonant: mark it 'Y'.
  let w = word[0] === 'y' ? 'Y' + word.slice(1) : word;
  for (let i = 1; i < w.length; i++) {
    if (w[i] === 'y' && isVowel(w, i - 1)) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
  }

  let r1: number;
  if (w.startsWith('gener') || w.startsWith('arsen')) r1 = 5;
  else if (w.startsWith('commun')) r1 = 6;
  else r1 = regionAfter(w, 0);
  const r2 = regionAfter(w, r1);

  // Step 0 ("'s'", "'s", "'") does nothing here: words never contain apostrophes.

  // Step 1a.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ied') || w.endsWith('ies')) w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
  else if (w.endsWith('us') || w.endsWith('ss')) {
    // unchanged
  } else if (w.endsWith('s')) {
    // delete when the part before the s has a vowel that is not just before the s
    if (VOWEL_IN.test(w.slice(0, -2))) w = w.slice(0, -1);
  }
  if (AFTER_1A.has(w)) return w;

  // Step 1b.
  const eed = w.endsWith('eedly') ? 5 : w.endsWith('eed') ? 3 : 0;
  if (eed > 0) {
    if (w.length - eed >= r1) w = w.slice(0, -eed) + 'ee';
  } else {
    const suffix = w.endsWith('ingly') ? 5 : w.endsWith('edly') ? 4 : w.endsWith('ing') ? 3 : w.endsWith('ed') ? 2 : 0;
    if (suffix > 0) {
      const base = w.slice(0, -suffix);
      if (VOWEL_IN.test(base)) {
        w = base;
        if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
        else if (DOUBLES.has(w.slice(-2))) w = w.slice(0, -1);
        else if (r1 >= w.length && endsShortSyllable(w)) w += 'e';
      }
    }
  }

  // Step 1c: a final y/Y after a non-vowel that is not the first letter becomes i.
  const n1c = w.length;
  if (n1c > 2 && (w[n1c - 1] === 'y' || w[n1c - 1] === 'Y') && !isVowel(w, n1c - 2)) w = w.slice(0, -1) + 'i';

  // Step 2: the longest suffix; replaced when it lies in R1.
  for (const [suf, rep] of STEP2) {
    if (!w.endsWith(suf)) continue;
    const at = w.length - suf.length;
    if (at >= r1) {
      if (suf === 'ogi') {
        if (w[at - 1] === 'l') w = w.slice(0, at) + rep;
      } else if (suf === 'li') {
        if (LI_ENDING.test(w.slice(0, at))) w = w.slice(0, at);
      } else {
        w = w.slice(0, at) + rep;
      }
    }
    break;
  }

  // Step 3: the longest suffix; replaced when it lies in R1 ("ative" only when in R2).
  for (const [suf, rep] of STEP3) {
    if (!w.endsWith(suf)) continue;
    const at = w.length - suf.length;
    if (at >= r1 && (suf !== 'ative' || at >= r2)) w = w.slice(0, at) + rep;
    break;
  }

  // Step 4: the longest suffix; deleted when it lies in R2 ("ion" only after s or t).
  for (const suf of STEP4) {
    if (!w.endsWith(suf)) continue;
    const at = w.length - suf.length;
    if (at >= r2 && (suf !== 'ion' || w[at - 1] === 's' || w[at - 1] === 't')) w = w.slice(0, at);
    break;
  }

  // Step 5: a final e (in R2, or in R1 and not after a short syllable) or a final l (in R2, after an l).
  const n5 = w.length;
  if (w[n5 - 1] === 'e') {
    const at = n5 - 1;
    if (at >= r2 || (at >= r1 && !endsShortSyllable(w.slice(0, at)))) w = w.slice(0, at);
  } else if (w[n5 - 1] === 'l') {
    const at = n5 - 1;
    if (at >= r2 && w[at - 1] === 'l') w = w.slice(0, at);
  }

  return w.replace(/Y/g, 'y');
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** `stem` with a bounded memo (indexing and highlighting stem the same words over and over). */
export function stemCached(word: string): string {
  let s = cache.get(word);
  if (s === undefined) {
    s = stem(word);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, s);
  }
  return s;
}
