/**
 * Drops stale queries: every query carries a sequence number that grows with each keystroke; starting a
 * query aborts the one before it, and a query older than the newest one seen is refused outright.
 */
export class LatestOnly {
  private latest = -Infinity;
  private current: AbortController | null = null;

  /** Starts query `seq`: its abort signal, or null when a newer query has already started. */
  begin(seq: number): AbortSignal | null {
    if (seq < this.latest) return null;
    this.latest = seq;
    this.current?.abort();
    this.current = new AbortController();
    return this.current.signal;
  }

  /** True while `seq` is the newest query seen. */
  isLatest(seq: number): boolean {
    return seq === this.latest;
  }
}
