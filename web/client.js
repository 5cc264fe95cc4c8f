// Talks to the training worker: one promise per run, progress callbacks,
// cancel. Cancel terminates the worker (Python cannot be interrupted
// mid-call) and starts a fresh one at once; the next run waits for it.

/** A run was cancelled by the person. */
export class CancelledError extends Error {
  constructor() {
    super("Cancelled.");
    this.name = "CancelledError";
  }
}

/** The Python runtime could not be loaded. */
export class LoadError extends Error {
  constructor(message) {
    super(message);
    this.name = "LoadError";
  }
}

/**
 * The worker's client. Fires "loading", "ready" and "loaderror" (detail:
 * {message}) events as workers come and go.
 */
export class TrainerClient extends EventTarget {
  /**
   * @param {object} options
   * @param {URL} options.workerUrl worker.js
   * @param {URL} options.pyodideUrl the Pyodide base URL, ending in "/"
   * @param {URL} options.wheelUrl the ferrolearn wheel
   * @param {number} options.loadTimeoutMs give up loading after this long
   */
  constructor({ workerUrl, pyodideUrl, wheelUrl, loadTimeoutMs }) {
    super();
    this.workerUrl = new URL(workerUrl);
    this.workerUrl.searchParams.set("pyodide", pyodideUrl.href);
    this.workerUrl.searchParams.set("wheel", wheelUrl.href);
    this.pyodideUrl = pyodideUrl;
    this.loadTimeoutMs = loadTimeoutMs;
    this.nextId = 1;
    this.pending = new Map();
    this.worker = null;
    this.ready = null;
    this.abortLoad = null;
    this.loaded = false;
  }

  /** Start a fresh worker; `ready` settles when it has loaded or failed. */
  start() {
    const worker = new Worker(this.workerUrl, { type: "module" });
    this.worker = worker;
    this.failed = false;
    this.loaded = false;
    this.dispatchEvent(new Event("loading"));
    this.ready = new Promise((resolve, reject) => {
      const fail = (message) => {
        clearTimeout(timer);
        if (this.worker !== worker) return;
        this.failed = true;
        worker.terminate();
        this.rejectAll(new LoadError(message));
        this.dispatchEvent(new CustomEvent("loaderror", { detail: { message } }));
        reject(new LoadError(message));
      };
      this.abortLoad = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      const seconds = Math.round(this.loadTimeoutMs / 1000);
      const timer = setTimeout(
        () => fail(
          `The Python runtime did not finish loading within ${seconds} s ` +
          `(from ${this.pyodideUrl.href}). Check your connection, then ` +
          "reload the page.",
        ),
        this.loadTimeoutMs,
      );
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        if (this.loaded) {
          this.failed = true;
          worker.terminate();
          this.rejectAll(Error(
            "The training worker stopped unexpectedly" +
            (event.message ? ` (${event.message})` : "") +
            ". The next run starts a fresh one.",
          ));
          return;
        }
        fail(
          "The training worker could not start" +
          (event.message ? `: ${event.message}` : ".") +
          " Reload the page; if it keeps failing, try another browser.",
        );
      });
      worker.addEventListener("message", ({ data }) => {
        if (data.type === "ready") {
          clearTimeout(timer);
          this.loaded = true;
          this.dispatchEvent(new Event("ready"));
          resolve();
        } else if (data.type === "error" && data.id === undefined) {
          fail(data.message);
        } else {
          this.answer(data);
        }
      });
    });
    // A failed load is reported through the event and each run's promise.
    this.ready.catch(() => {});
    return this.ready;
  }

  /**
   * Run `type` ("train" or "search") with `params` in Python.
   * Resolves with the result; rejects with the Python error's message, a
   * LoadError or a CancelledError. `onProgress(done, total)` is optional.
   */
  async run(type, params, onProgress = () => {}) {
    if (this.worker === null || this.failed) this.start();
    const worker = this.worker;
    await this.ready;
    if (worker !== this.worker) throw new CancelledError();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ id, type, params });
    });
  }

  /** Stop whatever runs now and start a fresh worker in the background. */
  cancel() {
    if (this.worker !== null) this.worker.terminate();
    this.abortLoad?.(new CancelledError());
    this.rejectAll(new CancelledError());
    this.start();
  }

  answer(data) {
    const job = this.pending.get(data.id);
    if (!job) return;
    if (data.type === "progress") {
      job.onProgress(data.done, data.total);
      return;
    }
    this.pending.delete(data.id);
    if (data.type === "result") job.resolve(data.result);
    else job.reject(new Error(data.message));
  }

  rejectAll(error) {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }
}
