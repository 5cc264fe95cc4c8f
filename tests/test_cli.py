"""The command line, from a plain checkout, as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ferrolearn", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def test_train_json():
    done = run("train", "--epochs", "50", "--alpha", "0.1", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["params"]["epochs"] == 50 and result["params"]["alpha"] == 0.1
    assert set(result["history"]) == {"loss_train", "loss_val", "acc_train",
                                      "acc_val"}
    assert len(result["history"]["acc_val"]) == 51
    assert 0 <= result["history"]["acc_val"][-1] <= 1
    assert set(result["probabilities"]) == {"p_positive", "actual"}


def test_search_json():
    done = run("search", "--cv-epochs", "40", "--epochs", "40", "--steps", "3",
               "--folds", "3", "--lam-min", "0.01", "--lam-max", "1", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [point["lam"] for point in result["grid"]] == pytest.approx(
        [0, 0.01, 0.1, 1])
    assert len(result["grid"][0]["fold_accuracy"]) == 3
    assert [f["fold"] for f in result["fold_weights"]] == [1, 2, 3]
    assert result["model"]["params"]["lam"] == result["best_lam"]


def test_human_summary():
    done = run("train", "--epochs", "30")
    assert done.returncode == 0
    assert "majority class" in done.stdout and "shucked_weight" in done.stdout


@pytest.mark.parametrize("args, message", [
    (["train", "--alpha", "0"], "learning rate alpha must be a positive number"),
    (["train", "--epochs", "0"], "epochs must be a whole number from 1 to"),
    (["search", "--cv-epochs", "0"], "cv_epochs must be a whole number from 1"),
    (["train", "--shuffle", "-1"], "the shuffle seed must be a whole number >= 0"),
    (["train", "--data", "no/such.csv", "--target", "y"],
     "cannot read no/such.csv: No such file or directory."),
    (["train", "--penalty", "l3"], "invalid choice: 'l3'"),
    (["search", "--lam-min", "1", "--lam-max", "0.1"],
     "lam_min (1) must be below lam_max (0.1)"),
    (["search", "--folds", "1"], "folds must be a whole number >= 2"),
    (["train", "--target", "x"], "--target needs --data FILE"),
    (["train", "--alpha", "100", "--epochs", "100"], "smaller learning rate"),
])
def test_bad_arguments_exit_with_one_line(args, message):
    done = run(*args)
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_own_csv_with_the_same_json_shape():
    done = run("train", "--data", "tests/fixtures/csv/abalone_sample.csv",
               "--target", "sex", "--positive", "M", "--epochs", "50", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["target"] == "sex"
    assert result["classes"]["positive"] == "M"
    assert len(result["probabilities"]["p_positive"]) == (
        result["n_train"] + result["n_val"])


def test_sorted_csv_warns_and_shuffle_clears_it():
    args = ["train", "--data", "tests/fixtures/csv/sorted.csv", "--target",
            "label", "--epochs", "20"]
    done = run(*args)
    assert done.returncode == 0
    assert "holds only the positive class 'yes'" in done.stderr
    shuffled = run(*args, "--shuffle", "3")
    assert shuffled.returncode == 0
    assert "holds only" not in shuffled.stderr
    assert "rows shuffled with seed 3" in shuffled.stderr


def test_bad_csv_is_one_line_naming_the_file():
    done = run("train", "--data", "tests/fixtures/csv/ragged.csv", "--target", "y")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ferrolearn: data error: tests/fixtures/csv/ragged.csv")


def test_a_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "ferrolearn", "train", "--epochs", "20", "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
