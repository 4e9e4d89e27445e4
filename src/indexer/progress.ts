/**
 * Progress reporting of the build: one bar per stage. On a TTY the bar redraws in place (label, percent,
 * counts, rate, ETA, extra text such as the training loss); otherwise a line is printed about every 10%.
 * A bar appears only once its stage has run for `delayMs` (default 1 s), so fast stages stay quiet.
 */

/** Where progress goes: a writable text stream (process.stderr by default). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal (bars redraw in place). */
  isTTY?: boolean;
  /** Terminal width in columns. */
  columns?: number;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Output stream (default process.stderr). */
  stream?: ProgressStream;
  /** Print nothing at all (default false). */
  quiet?: boolean;
  /** Redraw in place; default: the stream's `isTTY`. */
  tty?: boolean;
  /** A stage's bar is shown only after it has run this long, in ms (default 1000). */
  delayMs?: number;
  /** Shortest interval between two TTY redraws, in ms (default 100). */
  redrawMs?: number;
  /** Clock in ms (default performance.now); tests pass a fake one. */
  now?: () => number;
}

/** Extra information shown with a bar update. */
export interface ProgressUpdate {
  /** New total (when it becomes known late). */
  total?: number;
  /** Free text shown after the counts, e.g. `loss 2.31`. */
  extra?: string;
  /** Estimated seconds left, when the caller knows better than the rate-based estimate. */
  etaSec?: number;
  /** Unit of the rate, e.g. `ex` for `examples/s` (default: items). */
  unit?: string;
}

/** The bar of one running stage. */
export interface ProgressBar {
  /** Sets the number of finished items. */
  update(done: number, info?: ProgressUpdate): void;
  /** Adds `n` finished items (default 1). */
  tick(n?: number, info?: ProgressUpdate): void;
  /** Ends the stage; prints `summary` (e.g. `120 documents`) with the elapsed time. Returns the seconds it took. */
  finish(summary?: string): number;
}

/** Creates bars for stages and prints messages; all output is silenced by `quiet`. */
export interface Progress {
  /** Starts the bar of a stage with `total` items (0 or undefined: unknown). */
  stage(label: string, total?: number, unit?: string): ProgressBar;
  /** Prints one line (not in quiet mode). */
  info(message: string): void;
  /** Prints a warning line (not in quiet mode). */
  warn(message: string): void;
}

/** Formats seconds as `42s`, `3m07s` or `1h02m`. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  if (sec < 10) return `${sec.toFixed(1)}s`;
  if (sec < 60) return `${Math.round(sec)}s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m}m${String(Math.round(sec - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}

/** Formats a byte count as `950 B`, `12 KiB` or `3.4 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

function formatRate(rate: number, unit: string): string {
  const r = rate >= 100 ? Math.round(rate).toString() : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2);
  return `${r} ${unit}/s`;
}

/** Creates the progress reporter of a build. */
export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream: ProgressStream = opts.stream ?? process.stderr;
  const quiet = opts.quiet ?? false;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const delayMs = opts.delayMs ?? 1000;
  const redrawMs = opts.redrawMs ?? 100;
  const now = opts.now ?? (() => performance.now());
  let liveLine = false;

  const clearLive = () => {
    if (liveLine) { stream.write('\r\x1b[K'); liveLine = false; }
  };
  const println = (line: string) => {
    if (quiet) return;
    clearLive();
    stream.write(`${line}\n`);
  };

  return {
    info: println,
    warn: (m) => println(`warning: ${m}`),
    stage(label, total = 0, unit = 'items') {
      const start = now();
      let done = 0;
      let extra = '';
      let eta: number | undefined;
      let lastDraw = -Infinity;
      let lastDecile = 0;
      let rateUnit = unit;
      let first: { t: number; done: number } | undefined;

      const render = (): string => {
        // Rate since the first update: work before it (setup, e.g. an SVD) would skew the estimate.
        const t = now();
        const elapsed = first ? (t - first.t) / 1000 : 0;
        const rate = first && elapsed > 0 ? (done - first.done) / elapsed : 0;
        const parts = [label.padEnd(14)];
        if (total > 0) {
          const frac = Math.min(1, done / total);
          if (tty) {
            const width = 24;
            const full = Math.round(frac * width);
            parts.push(`[${'#'.repeat(full)}${'-'.repeat(width - full)}]`);
          }
          parts.push(`${String(Math.floor(frac * 100)).padStart(3)}%`, `${done}/${total}`);
        } else {
          parts.push(`${done}`);
        }
        if (rate > 0) parts.push(formatRate(rate, rateUnit));
        const left = eta ?? (total > 0 && rate > 0 ? (total - done) / rate : undefined);
        if (left !== undefined && done < total) parts.push(`ETA ${formatDuration(left)}`);
        if (extra) parts.push(extra);
        return parts.join('  ');
      };

      const draw = (force: boolean) => {
        if (quiet) return;
        const t = now();
        if (t - start < delayMs) return;
        if (tty) {
          if (!force && t - lastDraw < redrawMs) return;
          lastDraw = t;
          let line = render();
          const cols = stream.columns ?? 120;
          if (line.length > cols - 1) line = line.slice(0, cols - 1);
          stream.write(`\r\x1b[K${line}`);
          liveLine = true;
        } else if (total > 0) {
          const decile = Math.floor((Math.min(done, total) / total) * 10);
          if (decile > lastDecile && done < total) {
            lastDecile = decile;
            stream.write(`${render()}\n`);
          }
        }
      };

      const apply = (info?: ProgressUpdate) => {
        if (!info) return;
        if (info.total !== undefined) total = info.total;
        if (info.extra !== undefined) extra = info.extra;
        if (info.unit !== undefined) rateUnit = info.unit;
        eta = info.etaSec;
      };

      return {
        update(n, info) { first ??= { t: now(), done }; done = n; apply(info); draw(false); },
        tick(n = 1, info) { first ??= { t: now(), done }; done += n; apply(info); draw(false); },
        finish(summary) {
          const sec = (now() - start) / 1000;
          println(`${label.padEnd(14)}  done in ${formatDuration(sec)}${summary ? `  ${summary}` : ''}`);
          return sec;
        },
      };
    },
  };
}
