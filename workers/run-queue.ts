/**
 * A FIFO queue for onnxruntime-web session runs: ORT-web must never run two sessions at once, so every run
 * goes through one queue and starts only after the previous one has settled.
 */
export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; resolves/rejects with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
