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
 * One worker's client. Fires "loading", "ready" and "loaderror" (detail:
 * {message}) events as its worker comes and goes.
 */
export class WorkerClient extends EventTarget {
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
   * Send one request of `type` (see worker.js) with `params` to Python;
   * `fields` go along in the message (dataset, bytes, lam_indices, parts).
   * Resolves with the result; rejects with the Python error's message, a
   * LoadError or a CancelledError. `onProgress(done, total)` is optional.
   */
  async request(type, params, onProgress = () => {}, fields = {},
                onPartial = () => {}) {
    if (this.worker === null || this.failed) this.start();
    const worker = this.worker;
    await this.ready;
    if (worker !== this.worker) throw new CancelledError();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, onPartial });
      worker.postMessage({ id, type, params, ...fields });
    });
  }

  /** Stop whatever runs now and start a fresh worker in the background. */
  cancel() {
    this.stop();
    this.start();
  }

  /** Stop whatever runs now and leave no worker. */
  stop() {
    if (this.worker !== null) this.worker.terminate();
    this.worker = null;
    this.loaded = false;
    this.abortLoad?.(new CancelledError());
    this.rejectAll(new CancelledError());
  }

  answer(data) {
    const job = this.pending.get(data.id);
    if (!job) return;
    if (data.type === "progress") {
      job.onProgress(data.done, data.total);
      return;
    }
    if (data.type === "partial") {
      job.onPartial(data.result);
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

// Each worker holds its own Pyodide with numpy: measured in Chromium, the
// page's renderer holds about 300 MB with one worker and 90 MB more for each
// other, so three keep the page under 0.5 GB.
const MAX_WORKERS = 3;
const GRID_REDRAW_MS = 200;

/** How many workers to run: one per core, at most MAX_WORKERS. */
export function poolSize(cores) {
  return Math.max(1, Math.min(MAX_WORKERS, Math.floor(cores) || 1));
}

/**
 * Cut grid indices 0 … n-1 into `count` contiguous runs of near-equal
 * length, the longer runs first: [[0, 1], [2, 3], [4]].
 */
export function splitGrid(n, count) {
  const runs = [];
  let start = 0;
  for (let k = 0; k < count; k += 1) {
    const length = Math.floor(n / count) + (k < n % count ? 1 : 0);
    if (length === 0) break;
    runs.push(Array.from({ length }, (_, i) => start + i));
    start += length;
  }
  return runs;
}

function datasetFields(dataset) {
  if (dataset === null) return { dataset: null };
  const { bytes, ...spec } = dataset;
  return { dataset: spec, bytes };
}

/**
 * The page's trainer: a pool of workers. The first one answers everything;
 * the others start in the background once it is ready and share the grid
 * search. Fires "loading", "ready" and "loaderror" for the first worker, and
 * "workers" whenever any worker starts or finishes loading.
 */
export class TrainerClient extends EventTarget {
  /**
   * @param {object} options as for WorkerClient
   * @param {number} size workers in the pool, from poolSize()
   */
  constructor(options, size) {
    super();
    this.workers = Array.from({ length: size }, () => new WorkerClient(options));
    const [first, ...others] = this.workers;
    first.addEventListener("loading", () => this.dispatchEvent(new Event("loading")));
    first.addEventListener("ready", () => {
      this.dispatchEvent(new Event("ready"));
      for (const worker of others) if (worker.worker === null) worker.start();
    });
    first.addEventListener("loaderror", ({ detail }) => {
      this.dispatchEvent(new CustomEvent("loaderror", { detail }));
    });
    for (const worker of this.workers) {
      for (const name of ["loading", "ready", "loaderror"]) {
        worker.addEventListener(name, () => this.dispatchEvent(new Event("workers")));
      }
    }
  }

  get loaded() {
    return this.workers[0].loaded;
  }

  /** Workers loaded and able to take work. */
  get readyCount() {
    return this.workers.filter((worker) => worker.loaded && !worker.failed).length;
  }

  start() {
    return this.workers[0].start();
  }

  /** A CSV file's preview from Python (ferrolearn.csvdata.inspect_csv). */
  inspect(bytes, name) {
    return this.workers[0].request("inspect", null, undefined, { bytes, name });
  }

  /**
   * Run "train" or "search" with `params` on `dataset` (null for abalone).
   * `onProgress(done, total, points)` hears of the work done; a search also
   * calls `onGrid(points)` with the grid points finished so far, in λ order.
   */
  run(type, params, onProgress = () => {}, dataset = null, onGrid = () => {}) {
    const fields = datasetFields(dataset);
    if (type !== "search") {
      return this.workers[0].request(type, params, onProgress, fields);
    }
    return this.search(params, onProgress, fields, onGrid);
  }

  async search(params, onProgress, fields, onGrid) {
    const [first, ...others] = this.workers;
    const helpers = others.filter((worker) => worker.loaded && !worker.failed);
    const workers = [first, ...helpers];
    const points = params.steps + 1;
    const total = points * params.folds * params.cv_epochs + params.epochs;
    // One run of λs per worker: each epoch then costs a few large numpy
    // calls, and folds stream in as they finish.
    const runs = splitGrid(points, Math.min(points, workers.length));
    const grid = new Array(points).fill(null);
    const progress = new Map();
    const report = (extra = 0) => {
      const done = [...progress.values()].reduce((a, b) => a + b, 0);
      const complete = grid.filter((point) => point?.mean_accuracy != null);
      onProgress(done + extra, total, complete.length);
    };
    // Folds of different workers finish close together: drawing once for
    // them leaves the cores to the workers.
    let pending = null;
    const showGrid = () => {
      if (pending !== null) return;
      pending = setTimeout(() => {
        pending = null;
        onGrid(grid.filter((point) => point !== null));
      }, GRID_REDRAW_MS);
    };

    const foldDone = ({ lam_indices, lams, fold_accuracy }) => {
      lam_indices.forEach((i, k) => {
        grid[i] ??= { lam: lams[k], mean_accuracy: null, fold_accuracy: [] };
        grid[i].fold_accuracy.push(fold_accuracy[k]);
      });
      showGrid();
    };
    const parts = await Promise.all(runs.map(async (lam_indices, w) => {
      const part = await workers[w].request("search_part", params, (done) => {
        progress.set(lam_indices, done * lam_indices.length);
        report();
      }, { ...fields, lam_indices }, foldDone);
      lam_indices.forEach((i, k) => { grid[i] = part.grid[k]; });
      showGrid();
      report();
      return part;
    }));
    clearTimeout(pending);
    onGrid(grid);
    return first.request("search_finish", params, (done) => report(done),
                         { ...fields, parts });
  }

  /** Stop every run; the first worker restarts now, the others once it is up. */
  cancel() {
    const [first, ...others] = this.workers;
    for (const worker of others) worker.stop();
    first.cancel();
  }
}
