// Loads Pyodide, numpy, the ferrolearn wheel (for its data) and naive.py,
// then runs Python snippets and answers with their wall time.
const query = new URL(self.location.href).searchParams;
const { loadPyodide } = await import(`${query.get("pyodide")}pyodide.mjs`);
const pyodide = await loadPyodide({ indexURL: query.get("pyodide") });
await pyodide.loadPackage("numpy");
await pyodide.loadPackage(query.get("wheel"));
const naive = await (await fetch("naive.py")).text();
pyodide.FS.writeFile("/home/pyodide/naive.py", naive);
pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");

self.onmessage = ({ data }) => {
  try {
    const start = performance.now();
    const value = pyodide.runPython(data.code);
    const ms = performance.now() - start;
    self.postMessage({ id: data.id, ms, value: String(value) });
  } catch (error) {
    self.postMessage({ id: data.id, error: String(error.message) });
  }
};

self.postMessage({ ready: true });
