// The training worker: loads Pyodide, numpy and the ferrolearn wheel, then
// answers {id, type: "train" | "search", params} messages by calling
// ferrolearn.study in Python. Every number here comes from Python.

const query = new URL(self.location.href).searchParams;
const pyodideUrl = query.get("pyodide");
const wheelUrl = query.get("wheel");

// Params go in and results come out as JSON text, so the only Python object
// JavaScript holds is the bridge function, and nothing leaks per run.
const BRIDGE = `
import json

import ferrolearn.study


def run(kind, params_json, progress):
    task = {"train": ferrolearn.study.train, "search": ferrolearn.study.search}
    try:
        result = task[kind](json.loads(params_json), progress=progress)
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
  const { id, type, params } = data;
  let run;
  try {
    run = await ready;
  } catch {
    return;
  }
  if (type !== "train" && type !== "search") {
    self.postMessage({ id, type: "error", message: `Unknown request "${type}".` });
    return;
  }
  const progress = (done, total) => {
    self.postMessage({ id, type: "progress", done, total });
  };
  try {
    const reply = JSON.parse(run(type, JSON.stringify(params), progress));
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
