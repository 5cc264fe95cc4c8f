// The training worker: loads Pyodide, numpy and the ferrolearn wheel, then
// answers {id, type, params, ...} messages by calling ferrolearn.study in
// Python. Every number here comes from Python.
//
// Types: "train" and "search" (params, dataset); "search_part" (lam_indices:
// cross-validate some of the grid's lambdas, posting a "partial" message as
// each fold finishes); "search_finish" (parts: join them, pick the best and
// refit); "inspect" (a CSV file's preview).
// `dataset` is null for abalone, else the person's choices for their CSV
// file, whose bytes come in `bytes`.

const query = new URL(self.location.href).searchParams;
const pyodideUrl = query.get("pyodide");
const wheelUrl = query.get("wheel");
const TYPES = ["train", "search", "search_part", "search_finish", "inspect"];

// Requests go in and results come out as JSON text, so the only Python
// objects JavaScript holds are the bridge function and the file's bytes.
const BRIDGE = `
import json

from ferrolearn import csvdata, study

_last = {"key": None, "data": None}


def _dataset(spec, raw):
    key = None if spec is None else spec["key"]
    if _last["data"] is None or key != _last["key"]:
        # JavaScript's null arrives as JsNull, not None: only a file has bytes.
        raw = None if spec is None else raw.to_bytes()
        _last["data"] = study.load_dataset(spec, raw)
        _last["key"] = key
    return _last["data"]


def run(kind, request_json, raw, progress, partial):
    request = json.loads(request_json)
    params = request.get("params")
    try:
        if kind == "inspect":
            result = csvdata.inspect_csv(raw.to_bytes(), request["name"])
        else:
            data = _dataset(request.get("dataset"), raw)
            if kind == "search_part":
                result = study.search_part(
                    params, request["lam_indices"], data, progress,
                    lambda fold: partial(json.dumps(fold)))
            elif kind == "search_finish":
                result = study.search_finish(
                    params, request["parts"], data, progress)
            else:
                task = {"train": study.train, "search": study.search}[kind]
                result = task(params, data, progress)
    except ValueError as exc:
        return json.dumps({"error": str(exc)})
    return json.dumps({"result": result})


run
`;

async function load() {
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`));
  } catch (error) {
    throw Error(
      `Could not fetch the Python runtime (Pyodide) from ${pyodideUrl} ` +
      `(${error.message}). Check your connection, then reload the page.`,
    );
  }
  let pyodide;
  try {
    pyodide = await loadPyodide({ indexURL: pyodideUrl, stdout: () => {} });
  } catch (error) {
    throw Error(
      `The Python runtime from ${pyodideUrl} failed to start ` +
      `(${error.message}). Reload the page to try again.`,
    );
  }
  const problems = [];
  const options = {
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  };
  await pyodide.loadPackage("numpy", options);
  await pyodide.loadPackage(wheelUrl, options);
  if (problems.length > 0) {
    throw Error(
      `Could not install numpy and ferrolearn in the browser: ` +
      `${problems.join(" ")} Reload the page to try again.`,
    );
  }
  return pyodide.runPython(BRIDGE);
}

const ready = load();

ready.then(
  () => self.postMessage({ type: "ready" }),
  (error) => self.postMessage({ type: "error", message: error.message }),
);

self.addEventListener("message", async ({ data }) => {
  const { id, type, bytes = null, ...request } = data;
  let run;
  try {
    run = await ready;
  } catch {
    return;
  }
  if (!TYPES.includes(type)) {
    self.postMessage({ id, type: "error", message: `Unknown request "${type}".` });
    return;
  }
  const progress = (done, total) => {
    self.postMessage({ id, type: "progress", done, total });
  };
  const partial = (text) => {
    self.postMessage({ id, type: "partial", result: JSON.parse(text) });
  };
  try {
    const reply = JSON.parse(
      run(type, JSON.stringify(request), bytes, progress, partial));
    if ("error" in reply) {
      self.postMessage({ id, type: "error", message: reply.error });
    } else {
      self.postMessage({ id, type: "result", result: reply.result });
    }
  } catch (error) {
    const lines = String(error.message).trim().split("\n");
    self.postMessage({
      id, type: "error",
      message: `ferrolearn failed unexpectedly: ${lines[lines.length - 1]}`,
    });
  }
});
