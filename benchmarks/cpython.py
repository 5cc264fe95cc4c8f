"""Time the default search two ways in CPython: ferrolearn and a naive loop.

    python benchmarks/cpython.py [--cv-epochs 5000]

Prints wall times and their ratio (target: ferrolearn / naive <= 0.5), and
checks that both ways give the same grid.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import naive  # noqa: E402

from ferrolearn import grid_search, lam_grid, load_abalone, study  # noqa: E402
from ferrolearn import train_val_split  # noqa: E402


def timed(run):
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-epochs", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=5000)
    args = parser.parse_args()
    data = load_abalone()
    lams = lam_grid()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}")
    print(f"search: {lams.size} lambdas x 5 folds x {args.cv_epochs} epochs")

    ours, grid = timed(lambda: grid_search(data.X, data.y, lams, 5, 0.01,
                                           args.cv_epochs, "l2"))
    plain, accuracy = timed(lambda: naive.search(data.X, data.y, lams, 5, 0.01,
                                                 args.cv_epochs))
    same = np.array_equal(grid["mean_accuracy"], accuracy)
    print(f"  ferrolearn {ours:7.2f} s   naive {plain:7.2f} s   "
          f"ratio {ours / plain:.3f} (target <= 0.5)   same grid: {same}")

    train, val = train_val_split(len(data.y))
    params = {"epochs": args.epochs}
    ours, _ = timed(lambda: study.train(params, data))
    plain, _ = timed(lambda: naive.train_with_history(
        data.X[train], data.y[train], data.X[val], data.y[val],
        epochs=args.epochs))
    print(f"train with history, {args.epochs} epochs: ferrolearn {ours:.3f} s   "
          f"naive {plain:.3f} s   ratio {ours / plain:.3f} (target <= 0.5)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
