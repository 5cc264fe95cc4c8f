"""Time the page against naive Python loops, in one headless Chromium.

    python benchmarks/browser.py [--cv-epochs 1000] [--runtime DIR]

Builds the site with the local Pyodide runtime (FERROLEARN_PYODIDE_DIR, default
~/.cache/ferrolearn/pyodide-0.29.0), serves it on 127.0.0.1 and prints:

- search & train: the page's #search (grid search on its worker pool, then the
  refit with history) against naive.search plus naive.train_with_history run
  in one Pyodide worker; target ratio <= 0.35 at 1,000 CV epochs;
- the page's search & train at the default 5,000 CV epochs (wall time);
- one training run (alpha 0.01, 5,000 epochs, with history): ferrolearn's
  study.train against naive.train_with_history, each timed inside a worker;
  target ratio <= 0.5; and the page's #train, click to charts drawn;
- the memory Chromium holds with the page and its workers loaded.

Every request that is not to 127.0.0.1 is aborted and makes the run fail.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-quic",
]
DEFAULT_RUNTIME = Path.home() / ".cache" / "ferrolearn" / "pyodide-0.29.0"
LOAD_S = 180
RUN_S = 900
# Timings on a shared machine wander: take the median of a few runs.
REPEATS = 3

SETUP = """
import ferrolearn, ferrolearn.study, naive
data = ferrolearn.load_abalone()
train, val = ferrolearn.train_val_split(len(data.y))
lams = ferrolearn.lam_grid()
args = (data.X[train], data.y[train], data.X[val], data.y[val])
"""


def serve(site):
    server = build.make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def loopback_only(context, blocked):
    def route(route):
        host = route.request.url.split("/")[2].split(":")[0]
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)


def page_seconds(page, button):
    """Click a button and wait for the page to say it is done."""
    start = time.perf_counter()
    page.click(button)
    page.wait_for_function(
        "() => ['done', 'error'].includes("
        "document.querySelector('#status').dataset.state)",
        polling=20, timeout=RUN_S * 1000,
    )
    seconds = time.perf_counter() - start
    state = page.eval_on_selector("#status", "e => e.dataset.state")
    if state != "done":
        raise SystemExit(f"the page ended in state {state}: "
                         + page.inner_text("#status"))
    return seconds


def open_page(context, url, hash_):
    page = context.new_page()
    page.goto(f"{url}index.html#{hash_}")
    # Ready, with every worker of the pool started.
    page.wait_for_function(
        "() => { const s = document.querySelector('#status');"
        " const [ready, total] = (s.dataset.workers || '0/1').split('/');"
        " return s.dataset.state === 'ready' && ready === total; }",
        timeout=LOAD_S * 1000,
    )
    return page


def renderer_rss_mb():
    """Resident memory of the largest Chromium renderer process: the one that
    holds the page and its workers."""
    largest = 0
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
            if b"chromium" not in command or b"--type=renderer" not in command:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]))
        except (OSError, ValueError):
            continue
    return largest / 1024


def naive_seconds(page, code):
    return page.evaluate("code => timePython(code)", code)["ms"] / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-epochs", type=int, default=1000)
    parser.add_argument("--runtime", type=Path, default=Path(
        os.environ.get("FERROLEARN_PYODIDE_DIR", DEFAULT_RUNTIME)))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = Path(tempfile.mkdtemp(prefix="ferrolearn-bench-")) / "site"
    build.build_site(site, pyodide_dir=args.runtime)
    for name in ("bench.html", "bench_worker.js"):
        shutil.copy2(HERE / name, site / name)
    shutil.copy2(ROOT / "benchmarks" / "naive.py", site / "naive.py")
    server, url = serve(site)
    blocked = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        loopback_only(context, blocked)
        print(f"machine: {os.cpu_count()} cores; Chromium "
              f"{browser.version}; Pyodide {build.PYODIDE_VERSION}")

        bench = context.new_page()
        bench.goto(f"{url}bench.html")
        bench.wait_for_function("() => 'benchReady' in window")
        bench.evaluate("() => window.benchReady")
        naive_seconds(bench, SETUP + "naive.train_with_history(*args, epochs=50)")
        cv = args.cv_epochs
        naive_cv = median(naive_seconds(bench, f"naive.search(data.X, data.y, "
                                               f"lams, 5, 0.01, {cv})")
                          for _ in range(REPEATS))
        naive_train = median(naive_seconds(bench, "naive.train_with_history(*args)")
                             for _ in range(REPEATS))
        ours_in_worker = median(naive_seconds(bench, "ferrolearn.study.train({}, data)")
                                for _ in range(REPEATS))
        bench.close()

        page = open_page(context, url, f"cv-epochs={cv}")
        memory = renderer_rss_mb()
        page_seconds(page, "#train")
        train = median(page_seconds(page, "#train") for _ in range(REPEATS))
        search = median(page_seconds(page, "#search") for _ in range(REPEATS))
        workers = page.eval_on_selector("#status", "e => e.dataset.workers")
        page.close()
        page = open_page(context, url, "cv-epochs=5000")
        search_default = page_seconds(page, "#search")
        browser.close()
    server.shutdown()

    naive_search = naive_cv + naive_train
    print(f"search & train, {cv} CV epochs: page {search:.2f} s on {workers} "
          f"workers; naive {naive_search:.2f} s (CV {naive_cv:.2f} + refit "
          f"{naive_train:.2f}); ratio {search / naive_search:.3f} (target <= 0.35)")
    print(f"search & train, 5000 CV epochs: page {search_default:.2f} s")
    print(f"memory: the page's renderer holds {memory:.0f} MB with {workers} "
          "workers loaded (resident set)")
    print(f"train with history, 5000 epochs, in a worker: ferrolearn "
          f"{ours_in_worker:.3f} s, naive {naive_train:.3f} s, ratio "
          f"{ours_in_worker / naive_train:.3f} (target <= 0.5); the page's "
          f"#train, click to charts drawn: {train:.3f} s")
    if blocked:
        print(f"FAILED: {len(blocked)} requests beyond 127.0.0.1 were aborted: "
              f"{blocked[:3]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
