"""build.py: the site it assembles, its errors, and its local server."""

import json
import subprocess
import sys
import urllib.request
import zipfile

import pytest

from browser_support import (
    BUILD_PY, ROOT, RUNTIME_DIR, run_build, serve, site_build,
)

CORE = site_build.PYODIDE_FILES
NUMPY = "numpy-2.2.5-cp313-cp313-pyodide_2025_0_wasm32.whl"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fake_pyodide(folder, missing=(), version="0.29.0"):
    """A Pyodide-shaped folder whose files are placeholders."""
    folder.mkdir()
    for name in CORE:
        if name not in missing:
            (folder / name).write_text("")
    if "package.json" not in missing:
        (folder / "package.json").write_text(json.dumps({"version": version}))
    if "pyodide-lock.json" not in missing:
        lock = {"packages": {"numpy": {"version": "2.2.5", "file_name": NUMPY,
                                       "sha256": site_build.NUMPY_SHA256}}}
        (folder / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder


def one_line_error(done):
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return site_build.build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_is_pure_python_and_carries_the_data(wheel):
    assert wheel.name.endswith("-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ferrolearn/study.py" in names
    assert "ferrolearn/data/abalone.data" in names


def test_default_site_names_the_pinned_cdn(tmp_path, wheel):
    done = run_build("--out", tmp_path / "site", "--wheel", wheel)
    assert done.returncode == 0, done.stderr

    site = tmp_path / "site"
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["pyodide_url"] == (
        "https://cdn.jsdelivr.net/pyodide/v0.29.0/full/"
    )
    assert manifest["wheel"] == wheel.name and (site / wheel.name).is_file()
    for name in ("index.html", "style.css", "main.js", "client.js", "state.js",
                 "charts.js", "worker.js", "plotly.min.js"):
        assert (site / name).is_file(), name
    assert not (site / "package.json").exists()
    assert not (site / "pyodide").exists()


def test_pyodide_url_is_used_as_given_with_a_trailing_slash(tmp_path, wheel):
    done = run_build("--out", tmp_path / "site", "--wheel", wheel,
                     "--pyodide-url", "http://127.0.0.1:9/py")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "site" / "manifest.json").read_text())
    assert manifest["pyodide_url"] == "http://127.0.0.1:9/py/"


@pytest.mark.parametrize("missing", ["pyodide.asm.wasm", "pyodide.mjs",
                                     "pyodide-lock.json", NUMPY])
def test_incomplete_pyodide_dir_is_one_line_naming_the_file(tmp_path, wheel,
                                                            missing):
    source = fake_pyodide(tmp_path / "pyodide", missing=(missing,))
    done = run_build("--out", tmp_path / "site", "--wheel", wheel,
                     "--pyodide-dir", source)
    line = one_line_error(done)
    assert missing in line
    assert not (tmp_path / "site").exists()


def test_missing_pyodide_dir_is_an_error(tmp_path, wheel):
    line = one_line_error(run_build("--out", tmp_path / "site", "--wheel", wheel,
                                    "--pyodide-dir", tmp_path / "nowhere"))
    assert "nowhere" in line and "not a folder" in line


def test_other_pyodide_versions_are_refused(tmp_path, wheel):
    source = fake_pyodide(tmp_path / "pyodide", version="0.28.3")
    (source / NUMPY).write_text("")
    line = one_line_error(run_build("--out", tmp_path / "site", "--wheel", wheel,
                                    "--pyodide-dir", source))
    assert "0.28.3" in line and "0.29.0" in line


def test_a_numpy_wheel_that_does_not_match_the_lock_is_refused(tmp_path, wheel):
    source = fake_pyodide(tmp_path / "pyodide")
    (source / NUMPY).write_text("not numpy")
    line = one_line_error(run_build("--out", tmp_path / "site", "--wheel", wheel,
                                    "--pyodide-dir", source))
    assert NUMPY in line and "sha256" in line


def test_a_folder_that_is_not_a_site_is_never_emptied(tmp_path, wheel):
    keep = tmp_path / "mine" / "notes.txt"
    keep.parent.mkdir()
    keep.write_text("keep me")
    line = one_line_error(run_build("--out", keep.parent, "--wheel", wheel))
    assert "refusing" in line
    assert keep.read_text() == "keep me"


def test_only_the_pinned_plotly_is_accepted():
    site_build.check_plotly_version("7.1.0")
    with pytest.raises(site_build.BuildError, match="pip install plotly==7.1.0"):
        site_build.check_plotly_version("6.3.0")


def test_local_pyodide_is_copied_into_the_site(tmp_path, wheel):
    if not RUNTIME_DIR.is_dir():
        pytest.skip(f"local Pyodide runtime not found at {RUNTIME_DIR}: see README")
    done = run_build("--out", tmp_path / "site", "--wheel", wheel,
                     "--pyodide-dir", RUNTIME_DIR)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert json.loads((site / "manifest.json").read_text())["pyodide_url"] == (
        "pyodide/"
    )
    for name in (*CORE, NUMPY):
        assert (site / "pyodide" / name).read_bytes() == (
            (RUNTIME_DIR / name).read_bytes()
        ), name


def test_the_server_sends_wasm_and_module_mime_types(tmp_path):
    for name in ("a.wasm", "b.mjs", "c.js", "d.json", "index.html"):
        (tmp_path / name).write_text("x")
    server = serve(tmp_path)
    host, port = server.server_address
    assert host == "127.0.0.1"
    try:
        types = {
            name: NO_PROXY.open(f"http://127.0.0.1:{port}/{name}")
            .headers.get_content_type()
            for name in ("a.wasm", "b.mjs", "c.js", "d.json", "index.html")
        }
    finally:
        server.shutdown()
        server.server_close()
    assert types == {"a.wasm": "application/wasm", "b.mjs": "text/javascript",
                     "c.js": "text/javascript", "d.json": "application/json",
                     "index.html": "text/html"}


def test_serve_builds_then_serves_on_loopback_and_prints_the_url(tmp_path, wheel):
    command = [sys.executable, str(BUILD_PY), "serve", "--port", "0", "--out",
               str(tmp_path / "site"), "--wheel", str(wheel),
               "--pyodide-url", "http://127.0.0.1:9/"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]
        url = lines[1].split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:"), lines
        page = NO_PROXY.open(url).read().decode()
        manifest = json.loads(NO_PROXY.open(url + "manifest.json").read())
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert 'id="train"' in page
    assert manifest["pyodide_url"] == "http://127.0.0.1:9/"
