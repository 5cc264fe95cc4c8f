"""Fixtures for the browser tests: built sites, local servers, guarded Chromium.

Every browser context routes every request: 127.0.0.1 and localhost go
through, anything else is aborted and recorded, and a test that caused one
fails. The sites built here never name the Pyodide CDN: one carries a local
Pyodide copy, the others point at loopback ports that refuse or never answer.
"""

import socket
from pathlib import Path

import pytest

from browser_support import (
    CHROMIUM, CHROMIUM_ARGS, LOAD_MS, RUNTIME_DIR, guarded_context, refused_port,
    run_build, serve, site_url, wait_for_state, watch_console,
)

HANG_TIMEOUT_S = 3


def build_or_fail(*args):
    done = run_build(*args)
    if done.returncode != 0:
        pytest.fail(f"build.py {' '.join(map(str, args))} failed:\n{done.stderr}")


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """The sites without a runtime, each served on its own loopback port:
    "dead" (the runtime's port refuses) and "hang" (the port accepts but
    never answers; the page gives up after HANG_TIMEOUT_S)."""
    base = tmp_path_factory.mktemp("sites")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    build_or_fail("--out", base / "dead",
                  "--pyodide-url", f"http://127.0.0.1:{refused_port()}/")
    wheel = next((base / "dead").glob("ferrolearn-*.whl"))
    build_or_fail("--out", base / "hang", "--wheel", wheel,
                  "--load-timeout", HANG_TIMEOUT_S, "--pyodide-url",
                  f"http://127.0.0.1:{silent.getsockname()[1]}/")
    servers = {kind: serve(base / kind) for kind in ("dead", "hang")}
    yield {"dir": base, "wheel": wheel,
           **{kind: site_url(server) for kind, server in servers.items()}}
    for server in servers.values():
        server.shutdown()
        server.server_close()
    silent.close()


@pytest.fixture(scope="session")
def runtime_site(sites):
    """URL of a site carrying the local Pyodide copy; skips without one."""
    if not Path(RUNTIME_DIR).is_dir():
        pytest.skip(
            f"local Pyodide runtime not found at {RUNTIME_DIR}: see README "
            "(set FERROLEARN_PYODIDE_DIR to a Pyodide 0.29.0 distribution)"
        )
    out = sites["dir"] / "runtime"
    build_or_fail("--out", out, "--wheel", sites["wheel"],
                  "--pyodide-dir", RUNTIME_DIR)
    server = serve(out)
    yield site_url(server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    context, outside = guarded_context(browser)
    yield context
    context.close()
    assert not outside, f"requests beyond loopback were made: {outside}"


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions of `page` and its workers."""
    return []


@pytest.fixture
def page(context, console_errors):
    page = context.new_page()
    watch_console(page, console_errors)
    return page


@pytest.fixture
def ready_page(page, runtime_site):
    """`page` on the runtime site, loaded and ready to train."""
    page.goto(runtime_site)
    assert wait_for_state(page, "ready", "error", timeout=LOAD_MS) == "ready", \
        page.text_content("#message")
    return page


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium through Playwright"
    )
