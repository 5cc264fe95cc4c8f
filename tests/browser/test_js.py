"""Runs the pure JavaScript tests of the page's modules (web/*.js) in Node."""

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_state_and_charts_modules_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: apt-get install nodejs")
    tests = sorted(str(path) for path in (HERE / "js").glob("*.test.mjs"))
    assert tests
    done = subprocess.run([node, "--test", *tests], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
