"""Build the static site that trains ferrolearn in the browser, and serve it.

The site holds the page from ``web/``, the ferrolearn wheel, Plotly and a
``manifest.json`` naming the wheel and where Pyodide is fetched from.

    python build.py [--out DIR] [--pyodide-url URL | --pyodide-dir DIR]
    python build.py serve [--port N] [the same options]

By default the page fetches Pyodide from the jsDelivr CDN; ``--pyodide-dir``
copies a local Pyodide distribution into the site instead, so that it works
without a connection.
"""

import argparse
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "web"
WEB_SUFFIXES = (".html", ".css", ".js")

PYODIDE_VERSION = "0.29.0"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
PYODIDE_FILES = (
    "package.json",
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
NUMPY_VERSION = "2.2.5"
NUMPY_SHA256 = "2ca46b70661caea8f9f8089d22495c7a24c120fc5881e68934ac3a04d3fc8a02"
PLOTLY_VERSION = "7.1.0"
LOAD_TIMEOUT_S = 120

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".map": "application/json",
}


class BuildError(Exception):
    """A build step failed; the message is one line for the person."""


def build_wheel(dest):
    """Build ferrolearn's wheel into ``dest`` and return its path.

    The wheel is built from a fresh sdist, so stale files in a ``build/``
    folder of the work tree cannot end up in it.
    """
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        # Run from elsewhere: from the repository root, `python -m build`
        # would import this file instead of the build package.
        command = [sys.executable, "-m", "build", "--outdir", scratch, str(ROOT)]
        done = subprocess.run(command, cwd=scratch, capture_output=True, text=True)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip().splitlines()
            last = output[-1] if output else "no output"
            raise BuildError(f"building the wheel failed: {last}")
        wheels = sorted(Path(scratch).glob("ferrolearn-*.whl"))
        if len(wheels) != 1:
            raise BuildError(f"expected one ferrolearn wheel, found {len(wheels)}")
        return Path(shutil.copy2(wheels[0], dest))


def plotly_js():
    """The path of plotly.min.js from the installed plotly package (pinned)."""
    try:
        import plotly
    except ImportError:
        raise BuildError(
            f"plotly is not installed: pip install plotly=={PLOTLY_VERSION}"
        ) from None
    check_plotly_version(plotly.__version__)
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise BuildError(f"plotly {plotly.__version__} has no {path}")
    return path


def check_plotly_version(version):
    """Raise BuildError unless ``version`` is the pinned plotly."""
    if version != PLOTLY_VERSION:
        raise BuildError(
            f"plotly {version} is installed, but the site pins {PLOTLY_VERSION}: "
            f"pip install plotly=={PLOTLY_VERSION}"
        )


def check_pyodide(source):
    """Check a local Pyodide distribution; return the files the site needs.

    Every core file must be there, the distribution must be the pinned
    Pyodide, and its numpy wheel the one its lock file names.
    """
    source = Path(source)
    if not source.is_dir():
        raise BuildError(f"--pyodide-dir {source} is not a folder")
    for name in PYODIDE_FILES:
        if not (source / name).is_file():
            raise BuildError(f"--pyodide-dir {source} has no {name}")

    version = _json(source / "package.json").get("version")
    if version != PYODIDE_VERSION:
        raise BuildError(
            f"--pyodide-dir {source} holds Pyodide {version}, "
            f"but the site pins {PYODIDE_VERSION}"
        )
    numpy = _json(source / "pyodide-lock.json").get("packages", {}).get("numpy")
    if not numpy or numpy.get("version") != NUMPY_VERSION:
        found = numpy.get("version") if numpy else "none"
        raise BuildError(
            f"the lock in {source} names numpy {found}, expected {NUMPY_VERSION}"
        )
    if numpy.get("sha256") != NUMPY_SHA256:
        raise BuildError(f"the lock in {source} has an unexpected numpy sha256")
    wheel = source / numpy["file_name"]
    if not wheel.is_file():
        raise BuildError(f"--pyodide-dir {source} has no {wheel.name}")
    if _sha256(wheel) != NUMPY_SHA256:
        raise BuildError(f"{wheel} does not match the sha256 in the lock")
    return [source / name for name in PYODIDE_FILES] + [wheel]


def build_site(out, pyodide_url=None, pyodide_dir=None, wheel=None,
               load_timeout=LOAD_TIMEOUT_S):
    """Assemble the site in ``out`` and return the manifest.

    Parameters
    ----------
    out : Path
        Emptied first; must be missing, empty or an earlier site.
    pyodide_url : str, optional
        Base URL of Pyodide; the jsDelivr CDN by default.
    pyodide_dir : Path, optional
        A local Pyodide distribution, copied into ``out/pyodide/``.
    wheel : Path, optional
        An already built ferrolearn wheel, used instead of building one.
    load_timeout : float
        Seconds the page waits for Pyodide before it reports an error.
    """
    if pyodide_url and pyodide_dir:
        raise BuildError("give --pyodide-url or --pyodide-dir, not both")
    if not load_timeout > 0:
        raise BuildError(f"--load-timeout must be above 0, got {load_timeout}")
    plotly = plotly_js()
    pyodide_files = check_pyodide(pyodide_dir) if pyodide_dir else []
    if wheel and not (Path(wheel).is_file() and Path(wheel).suffix == ".whl"):
        raise BuildError(f"--wheel {wheel} is not a wheel file")
    out = Path(out)
    _empty(out)

    for page_file in sorted(WEB.iterdir()):
        if page_file.suffix in WEB_SUFFIXES:
            shutil.copy2(page_file, out / page_file.name)
    shutil.copy2(plotly, out / "plotly.min.js")
    if pyodide_files:
        (out / "pyodide").mkdir()
        for path in pyodide_files:
            shutil.copy2(path, out / "pyodide" / path.name)
        pyodide_url = "pyodide/"
    pyodide_url = pyodide_url or PYODIDE_CDN
    if not pyodide_url.endswith("/"):
        pyodide_url += "/"
    wheel = Path(shutil.copy2(wheel, out)) if wheel else build_wheel(out)

    manifest = {
        "wheel": wheel.name,
        "pyodide_url": pyodide_url,
        "pyodide_version": PYODIDE_VERSION,
        "plotly_version": PLOTLY_VERSION,
        "load_timeout_s": load_timeout,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types that wasm and ES modules need."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def end_headers(self):
        # A rebuilt site must not be mixed with a cached older one.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class QuietSiteHandler(SiteHandler):
    """SiteHandler that does not log each request (for tests)."""

    def log_message(self, format, *args):
        pass


def make_server(directory, port=0, handler=SiteHandler):
    """An HTTP server for ``directory`` on 127.0.0.1 only (port 0: any free)."""
    bound = functools.partial(handler, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), bound)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Build the ferrolearn site, and optionally serve it.",
    )
    parser.add_argument(
        "command", nargs="?", choices=("build", "serve"), default="build",
        help="build the site (default), or build it and serve it on 127.0.0.1",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "site",
                        help="folder for the site (default: site/)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--pyodide-url", metavar="URL",
                        help=f"Pyodide base URL (default: {PYODIDE_CDN})")
    source.add_argument("--pyodide-dir", metavar="DIR", type=Path,
                        help="copy a local Pyodide distribution into the site")
    parser.add_argument("--wheel", metavar="FILE", type=Path,
                        help="use this ferrolearn wheel instead of building one")
    parser.add_argument("--load-timeout", metavar="SECONDS", type=float,
                        default=LOAD_TIMEOUT_S,
                        help="how long the page waits for Pyodide "
                             f"(default: {LOAD_TIMEOUT_S})")
    parser.add_argument("--port", type=int, default=8000,
                        help="port for serve (default: 8000; 0 picks a free one)")
    args = parser.parse_args(argv)

    try:
        manifest = build_site(args.out, args.pyodide_url, args.pyodide_dir,
                              args.wheel, args.load_timeout)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    print(f"Built {args.out} ({manifest['wheel']}, "
          f"Pyodide from {manifest['pyodide_url']})")
    if args.command == "serve":
        try:
            server = make_server(args.out, args.port)
        except OSError as error:
            print(f"build.py: error: cannot serve on port {args.port}: "
                  f"{error.strerror}", file=sys.stderr)
            return 1
        with server:
            print(f"Serving {args.out} at http://127.0.0.1:"
                  f"{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
    return 0


def _empty(out):
    if out.exists():
        if not out.is_dir():
            raise BuildError(f"--out {out} is a file, not a folder")
        if any(out.iterdir()) and not (out / "manifest.json").is_file():
            raise BuildError(
                f"--out {out} is not empty and holds no earlier site "
                "(no manifest.json); refusing to delete it"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)


def _json(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BuildError(f"cannot read {path}: {error}") from None


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
