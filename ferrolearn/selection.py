"""Model selection: the contiguous 80/20 split, k-fold CV and the lambda grid."""

import math

import numpy as np

from .descent import descend, design, sigmoid
from .model import DivergenceError, Standardizer, check_hyperparameters, check_xy


def train_val_split(m, train_fraction=0.8):
    """Contiguous split: the first floor(0.8 m) rows train, the rest validate.

    Examples
    --------
    >>> train_val_split(2835)
    (slice(0, 2268, None), slice(2268, 2835, None))
    """
    n_train = math.floor(train_fraction * m)
    if n_train < 1 or n_train >= m:
        raise ValueError(
            f"{m} rows cannot be split into training and validation rows; "
            "use at least 2."
        )
    return slice(0, n_train), slice(n_train, m)


def k_fold(m, k):
    """Contiguous folds of floor(m / k) rows; the m mod k rows left always train.

    Returns
    -------
    list of (train, val) index arrays, one pair per fold.

    Examples
    --------
    >>> [val.tolist() for _, val in k_fold(7, 3)]
    [[0, 1], [2, 3], [4, 5]]
    """
    if not isinstance(k, int) or k < 2:
        raise ValueError(f"folds must be a whole number >= 2, got {k!r}.")
    size = m // k
    if size < 1:
        raise ValueError(
            f"{m} rows are too few for {k} folds: use at most {m} folds "
            "or more rows."
        )
    rows = np.arange(m)
    return [
        (np.concatenate([rows[: i * size], rows[(i + 1) * size :]]),
         rows[i * size : (i + 1) * size])
        for i in range(k)
    ]


def lam_grid(lam_min=1e-6, lam_max=10.0, steps=30):
    """Lambda = 0, then ``steps`` log-spaced values from lam_min to lam_max.

    Examples
    --------
    >>> lam_grid(1e-2, 1.0, 3).tolist()
    [0.0, 0.01, 0.1, 1.0]
    """
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"grid steps must be a whole number >= 1, got {steps!r}.")
    if not (math.isfinite(lam_min) and math.isfinite(lam_max) and lam_min > 0):
        raise ValueError(
            f"the lambda grid needs 0 < lam_min < lam_max, got {lam_min!r} "
            f"and {lam_max!r}."
        )
    if not lam_min < lam_max:
        raise ValueError(
            f"lam_min ({lam_min:g}) must be below lam_max ({lam_max:g})."
        )
    return np.concatenate([[0.0], np.logspace(math.log10(lam_min),
                                              math.log10(lam_max), steps)])


def cross_validate(X, y, lams, folds=5, learning_rate=0.01, epochs=5000,
                   penalty="l2", progress=None, on_fold=None):
    """Train every lambda on every fold, all lambdas of a fold at once.

    Each fold is standardized by its own training rows.

    Parameters
    ----------
    X, y : arrays of shape (m, d) and (m,)
    lams : sequence of float
    folds : int
    learning_rate, epochs, penalty
        As for `LogisticRegression`.
    progress : callable, optional
        Called as ``progress(done, total)`` in epochs summed over folds.
    on_fold : callable, optional
        Called as ``on_fold(f, accuracy_f)`` when fold f is done, with each
        lambda's accuracy on the fold's validation rows.

    Returns
    -------
    correct : ndarray of int, shape (len(lams), folds)
        Validation rows predicted right by each model.
    fold_size : int
        Validation rows per fold.
    weights : ndarray of shape (len(lams), folds, d + 1)
        Each model's bias and weights, in its fold's standardized units.
    """
    X, y = check_xy(X, y)
    lams = np.asarray(lams, dtype=float)
    for lam in lams:
        check_hyperparameters(learning_rate, epochs, penalty, float(lam))
    splits = k_fold(X.shape[0], folds)
    correct = np.empty((lams.size, folds), dtype=int)
    weights = np.empty((lams.size, folds, X.shape[1] + 1))

    for f, (train, val) in enumerate(splits):
        scaler = Standardizer().fit(X[train])
        report = None
        if progress is not None:
            def report(done, f=f):
                progress(f * epochs + done, folds * epochs)
        run = descend(
            design(scaler.transform(X[train])), y[train], lams, learning_rate,
            epochs, penalty, progress=report,
        )
        if run.epochs_run < epochs:
            raise DivergenceError(
                f"Cross-validation diverged at learning rate {learning_rate:g} "
                f"(fold {f + 1}): the weights stopped being finite; try a "
                f"smaller learning rate, e.g. {learning_rate / 10:g}."
            )
        # A row is classed positive when y_hat >= 0.5, i.e. sigma(z) >= 0.5.
        P = sigmoid(run.W @ design(scaler.transform(X[val])).T)
        correct[:, f] = ((P >= 0.5) == (y[val] == 1.0)).sum(axis=1)
        weights[:, f] = run.W
        if on_fold is not None:
            on_fold(f, correct[:, f] / len(val))
    return correct, len(splits[0][1]), weights


def best_index(correct):
    """Index of the highest mean CV accuracy.

    Folds share one size, so comparing summed correct counts compares means
    exactly. Ties go to the larger lambda (the later index): the simpler model
    wins.

    Examples
    --------
    >>> best_index(np.array([[3, 4], [4, 3], [2, 2]]))
    1
    """
    totals = np.asarray(correct).sum(axis=1)
    return int(np.flatnonzero(totals == totals.max())[-1])


def grid_search(X, y, lams, folds=5, learning_rate=0.01, epochs=5000,
                penalty="l2", progress=None):
    """Pick lambda by mean k-fold accuracy.

    Returns
    -------
    dict
        ``lams``, ``fold_accuracy`` (len(lams), folds), ``mean_accuracy``,
        ``best`` (index into lams), ``best_lam`` and ``fold_weights``
        (folds, d + 1) at the best lambda.

    Examples
    --------
    >>> X = np.arange(20.0)[:, None]; y = (X[:, 0] % 2 == 0) * 1.0
    >>> grid_search(X, y, [0.0, 1.0], folds=2, epochs=10)["best_lam"]
    1.0
    """
    lams = np.asarray(lams, dtype=float)
    correct, fold_size, weights = cross_validate(
        X, y, lams, folds, learning_rate, epochs, penalty, progress
    )
    best = best_index(correct)
    return {
        "lams": lams,
        "fold_accuracy": correct / fold_size,
        "mean_accuracy": correct.sum(axis=1) / (fold_size * correct.shape[1]),
        "best": best,
        "best_lam": float(lams[best]),
        "fold_weights": weights[best],
    }
