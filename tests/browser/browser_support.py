"""Helpers shared by the browser tests and their fixtures."""

import importlib.util
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_PY = ROOT / "build.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost"}
RUNTIME_DIR = Path(
    os.environ.get("FERROLEARN_PYODIDE_DIR",
                   Path.home() / ".cache" / "ferrolearn" / "pyodide-0.29.0")
)
STATE = "document.getElementById('status').dataset.state"
# Browser (no BLAS) against CPython (OpenBLAS): see DECISIONS.md.
TOLERANCE = 1e-9
LOAD_MS = 120_000
RUN_MS = 180_000
DEFAULT_HASH = (
    "#alpha=0.01&epochs=5000&penalty=l2&lambda=0.01&cv-epochs=5000"
    "&grid-min=1e-6&grid-max=10&grid-steps=30"
)


def load_build_module():
    """build.py as a module; its file name would clash with the build package."""
    spec = importlib.util.spec_from_file_location("ferrolearn_site_build", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_build = load_build_module()


def run_build(*args):
    """Run build.py with ``args``; return the finished process."""
    return subprocess.run([sys.executable, str(BUILD_PY), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def serve(directory):
    """Serve ``directory`` on a free loopback port in a thread."""
    server = site_build.make_server(directory, 0, site_build.QuietSiteHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def site_url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/"


def refused_port():
    """A loopback port with nothing listening (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def guarded_context(browser):
    """A context whose requests beyond loopback are aborted and listed."""
    context = browser.new_context()
    outside = []

    def route(route):
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context, outside


def watch_console(page, errors):
    """Append console errors and uncaught exceptions of a page and its workers
    to ``errors``."""
    def on_console(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("worker", lambda worker: worker.on("console", on_console))


def wait_for_state(page, *states, timeout=60_000):
    """Wait until #status is in one of ``states``; return the state."""
    names = ",".join(f"'{state}'" for state in states)
    page.wait_for_function(f"[{names}].includes({STATE})", timeout=timeout)
    return page.evaluate(STATE)


def data_value(page, selector):
    """The exact number a summary element carries in data-value."""
    return float(page.get_attribute(selector, "data-value"))


def page_weights(page):
    """The weights table as {term: exact value}."""
    return page.eval_on_selector_all(
        "#weights-table tbody tr",
        "rows => Object.fromEntries(rows.map(row => [row.cells[0].textContent,"
        " Number(row.cells[1].dataset.value)]))",
    )


def chart_traces(page, chart_id):
    return page.evaluate(
        "id => (document.getElementById(id).data || []).map(trace => ({"
        "x: Array.from(trace.x || []), y: Array.from(trace.y || [])}))",
        chart_id,
    )


def run(page, button):
    page.click(button)
    assert wait_for_state(page, "done", "error", timeout=RUN_MS) == "done", \
        page.text_content("#message")


def assert_matches_train(page, expected):
    history = expected["history"]
    assert data_value(page, "#val-accuracy") == history["acc_val"][-1]
    assert data_value(page, "#train-accuracy") == history["acc_train"][-1]
    weights = page_weights(page)
    assert weights.pop("bias") == pytest.approx(expected["bias"], abs=TOLERANCE)
    assert weights == pytest.approx(expected["weights"], abs=TOLERANCE)

    loss = chart_traces(page, "loss-chart")
    assert loss[0]["y"] == pytest.approx(history["loss_train"], abs=TOLERANCE)
    assert loss[1]["y"] == pytest.approx(history["loss_val"], abs=TOLERANCE)
