/** Renders text with highlighted ranges as text nodes and <mark> elements (never as HTML). */
import type { HighlightRange } from '../core/types.ts';

/** Props of `HighlightedText`. */
export interface HighlightedTextProps {
  /** The text, rendered as text (markup in it is shown literally). */
  text: string;
  /** [start, end) ranges to wrap in <mark>; out-of-range or overlapping ranges are clipped. */
  ranges?: readonly HighlightRange[];
}

/** Splits `text` at `ranges` into plain and marked pieces (sorted, clipped, overlaps merged). */
export function splitHighlights(text: string, ranges: readonly HighlightRange[] = []): { text: string; mark: boolean }[] {
  const sorted = ranges
    .map(([s, e]) => [Math.max(0, Math.min(s, text.length)), Math.max(0, Math.min(e, text.length))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const pieces: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [s, e] of merged) {
    if (s > at) pieces.push({ text: text.slice(at, s), mark: false });
    pieces.push({ text: text.slice(s, e), mark: true });
    at = e;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
  return pieces;
}

/** Text with <mark>ed ranges. */
export function HighlightedText({ text, ranges }: HighlightedTextProps) {
  return (
    <>
      {splitHighlights(text, ranges).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}
    </>
  );
}
