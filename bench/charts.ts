/**
 * Hand-written SVG charts of the benchmark (no dependencies, pure string functions): a scatter plot with an
 * optional log x axis (quality vs bundle size) and a grouped bar chart with a log y axis (latency).
 *
 * @example
 *   const svg = scatterSvg({ title: 'nDCG@10 vs size', xLabel: 'gzip bytes', yLabel: 'nDCG@10', xLog: true,
 *     series: [{ name: 'geniza', points: [{ x: 1.2e6, y: 0.41, label: 'scifact' }] }] });
 */

/** One point of a scatter series. */
export interface ScatterPoint {
  x: number;
  y: number;
  /** Text written beside the point (e.g. the collection). */
  label?: string;
}

/** A named set of points drawn in one color. */
export interface ScatterSeries {
  name: string;
  points: ScatterPoint[];
  /** CSS color (default: from the palette, by series order). */
  color?: string;
}

/** Options of `scatterSvg`. */
export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ScatterSeries[];
  /** Logarithmic x axis (default false). */
  xLog?: boolean;
  /** Formats x tick values (default: compact number). */
  formatX?: (x: number) => string;
  /** y axis range (default [0, max rounded up]). */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

/** One bar group (e.g. a collection) with one bar per named value. */
export interface BarGroup {
  label: string;
  bars: { name: string; value: number }[];
}

/** Options of `barSvg`. */
export interface BarOptions {
  title: string;
  yLabel: string;
  groups: BarGroup[];
  /** Logarithmic y axis (default true: values span orders of magnitude). */
  yLog?: boolean;
  /** Formats a bar's value label (default: 3 significant digits). */
  formatValue?: (v: number) => string;
  /** Colors by bar name (default: the palette in order of first appearance). */
  colors?: Record<string, string>;
  width?: number;
  height?: number;
}

/** Marker shapes of series in order (so series that share a point stay visible). */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;

/** The SVG element of a marker centred on (0, 0), drawn open so that markers on one spot all show. */
function marker(shape: (typeof MARKERS)[number], color: string): string {
  const style = `fill="none" stroke="${color}" stroke-width="2"`;
  switch (shape) {
    case 'circle': return `<circle cx="0" cy="0" r="5" ${style}/>`;
    case 'square': return `<rect x="-6" y="-6" width="12" height="12" ${style}/>`;
    case 'triangle': return `<path d="M0,-8 L7,5 L-7,5 Z" ${style}/>`;
    case 'diamond': return `<path d="M0,-8 L8,0 L0,8 L-8,0 Z" ${style}/>`;
    default: return `<path d="M-6,-6 L6,6 M-6,6 L6,-6" ${style}/>`;
  }
}

/** Colors of series in order (distinguishable, print-safe). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** Escapes text for SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

/** Compact number: 950, 12k, 3.4M. */
export function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${f1(v / 1e9)}G`;
  if (a >= 1e6) return `${f1(v / 1e6)}M`;
  if (a >= 1e3) return `${f1(v / 1e3)}k`;
  return `${Number(v.toPrecision(3))}`;
}

/** "Nice" linear ticks covering [lo, hi]. */
function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Powers of ten (and 2x, 5x when the range is narrow) covering [lo, hi], lo > 0. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  for (let e = e0; e <= e1; e++) for (const m of mults) {
    const v = m * 10 ** e;
    if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
  }
  return out.length ? out : [lo, hi];
}

/** A scatter plot as a standalone SVG document. Non-finite points are skipped. */
export function scatterSvg(o: ScatterOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 400;
  const m = { left: 64, right: 150, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const pts = o.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!o.xLog || p.x > 0));
  let xLo = pts.length ? Math.min(...pts.map((p) => p.x)) : 1;
  let xHi = pts.length ? Math.max(...pts.map((p) => p.x)) : 10;
  if (o.xLog) {
    xLo = 10 ** Math.floor(Math.log10(xLo));
    xHi = 10 ** Math.ceil(Math.log10(xHi) + 1e-9);
    if (xHi <= xLo) xHi = xLo * 10;
  } else {
    const pad = (xHi - xLo) * 0.1 || Math.abs(xHi) * 0.1 || 1;
    xLo = Math.max(0, xLo - pad);
    xHi += pad;
  }
  const yMax = pts.length ? Math.max(...pts.map((p) => p.y)) : 1;
  const [yLo, yHi] = o.yRange ?? [0, Math.max(0.1, Math.ceil(yMax * 10 + 1e-9) / 10)];
  const sx = (x: number) => m.left + (o.xLog ? (Math.log10(x) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo)) : (x - xLo) / (xHi - xLo)) * pw;
  const sy = (y: number) => m.top + ph - ((y - yLo) / (yHi - yLo || 1)) * ph;
  const fx = o.formatX ?? compactNumber;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<title>${escapeXml(o.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`);
  // Grid and axes.
  for (const t of o.xLog ? logTicks(xLo, xHi) : linearTicks(xLo, xHi)) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x}" y="${m.top + ph + 16}" text-anchor="middle">${escapeXml(fx(t))}</text>`);
  }
  for (const t of linearTicks(yLo, yHi)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(String(Number(t.toPrecision(3))))}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(`<text x="16" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${escapeXml(o.yLabel)}</text>`);
  // Points (a label once per spot), then the legend.
  const labelled = new Set<string>();
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const shape = MARKERS[i % MARKERS.length];
    for (const p of s.points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || (o.xLog && p.x <= 0)) continue;
      const cx = sx(p.x).toFixed(1);
      const cy = sy(p.y).toFixed(1);
      const tip = `${s.name}${p.label ? ` · ${p.label}` : ''}: ${fx(p.x)}, ${Number(p.y.toPrecision(3))}`;
      parts.push(`<g class="point" data-series="${escapeXml(s.name)}" transform="translate(${cx} ${cy})"><title>${escapeXml(tip)}</title>${marker(shape, color)}</g>`);
      const spot = `${Math.round(Number(cx) / 8)},${Math.round(Number(cy) / 8)},${p.label}`;
      if (p.label && !labelled.has(spot)) {
        labelled.add(spot);
        parts.push(`<text x="${(Number(cx) + 9).toFixed(1)}" y="${(Number(cy) - 7).toFixed(1)}" fill="#444444" font-size="10">${escapeXml(p.label)}</text>`);
      }
    }
    const ly = m.top + 10 + i * 18;
    parts.push(`<g transform="translate(${m.left + pw + 18} ${ly})">${marker(shape, color)}</g>`);
    parts.push(`<text x="${m.left + pw + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A grouped bar chart as a standalone SVG document; each bar is labelled with its value. Non-positive values on a log axis are drawn as empty. */
export function barSvg(o: BarOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 400;
  const m = { left: 64, right: 170, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const yLog = o.yLog ?? true;
  const fv = o.formatValue ?? ((v: number) => String(Number(v.toPrecision(3))));
  const names: string[] = [];
  for (const g of o.groups) for (const b of g.bars) if (!names.includes(b.name)) names.push(b.name);
  const colors: Record<string, string> = {};
  names.forEach((n, i) => { colors[n] = o.colors?.[n] ?? PALETTE[i % PALETTE.length]; });
  const vals = o.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => Number.isFinite(v) && (!yLog || v > 0));
  const vMax = vals.length ? Math.max(...vals) : 1;
  const vMin = vals.length ? Math.min(...vals) : 1;
  // On a log axis the lowest bar keeps at least a third of a decade of height.
  let yLo = yLog ? 10 ** Math.floor(Math.log10(vMin)) : 0;
  if (yLog && vMin / yLo < 2) yLo /= 10;
  const yHi = yLog ? 10 ** Math.ceil(Math.log10(vMax) + 1e-9) : linearTicks(0, vMax * 1.1).at(-1)!;
  const sy = (v: number) => {
    const f = yLog ? (Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo) || 1) : v / (yHi || 1);
    return m.top + ph - Math.max(0, Math.min(1, f)) * ph;
  };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<title>${escapeXml(o.title)}</title>`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`);
  for (const t of yLog ? logTicks(yLo, yHi) : linearTicks(0, yHi)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(compactNumber(t))}</text>`);
  }
  const gw = pw / Math.max(1, o.groups.length);
  o.groups.forEach((g, gi) => {
    const n = Math.max(1, g.bars.length);
    const bw = Math.min(36, (gw * 0.8) / n);
    const x0 = m.left + gi * gw + (gw - bw * n) / 2;
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * bw;
      const ok = Number.isFinite(b.value) && (!yLog || b.value > 0);
      const top = ok ? sy(b.value) : m.top + ph;
      const h = m.top + ph - top;
      parts.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[b.name]}" data-bar="${escapeXml(`${g.label}/${b.name}`)}"><title>${escapeXml(`${g.label} · ${b.name}: ${ok ? fv(b.value) : 'n/a'}`)}</title></rect>`);
      if (ok) parts.push(`<text x="${(x + (bw - 2) / 2).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9">${escapeXml(fv(b.value))}</text>`);
    });
    parts.push(`<text x="${(m.left + gi * gw + gw / 2).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${escapeXml(g.label)}</text>`);
  });
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="16" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${escapeXml(o.yLabel)}</text>`);
  names.forEach((n, i) => {
    const ly = m.top + 10 + i * 18;
    parts.push(`<rect x="${m.left + pw + 12}" y="${ly - 5}" width="10" height="10" fill="${colors[n]}"/>`);
    parts.push(`<text x="${m.left + pw + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(n)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
