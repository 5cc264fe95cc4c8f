"""The article's study as JSON-ready results, shared by the CLI and the browser.

``train`` fits one model on the 80/20 split; ``search`` picks lambda by k-fold
CV over all rows and refits with it. ``search_part`` and ``search_finish`` are
the same search cut in two, so several workers can each take some lambdas.
"""

import math
import numbers

import numpy as np

from .csvdata import class_balance_warnings, read_csv
from .datasets import load_abalone, shuffled
from .model import LogisticRegression, check_hyperparameters
from .selection import best_index, cross_validate, lam_grid, train_val_split

DEFAULTS = {
    "alpha": 0.01,
    "epochs": 5000,
    "penalty": "l2",
    "lam": 0.01,
    "cv_epochs": 5000,
    "lam_min": 1e-6,
    "lam_max": 10.0,
    "steps": 30,
    "folds": 5,
}
_WHOLE = ("epochs", "cv_epochs", "steps", "folds")


def resolve(params=None):
    """Defaults overlaid with ``params``, checked; raises ValueError if unusable.

    Examples
    --------
    >>> resolve({"alpha": 0.1})["alpha"], resolve()["epochs"]
    (0.1, 5000)
    """
    params = dict(params or {})
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown setting {unknown[0]!r}; known: {', '.join(DEFAULTS)}."
        )
    p = {**DEFAULTS, **params}
    for name in _WHOLE:
        value = p[name]
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            if math.isfinite(value) and value == int(value):
                p[name] = int(value)
    check_hyperparameters(p["alpha"], p["epochs"], p["penalty"], p["lam"])
    check_hyperparameters(p["alpha"], p["cv_epochs"], p["penalty"], p["lam"],
                          "cv_epochs")
    lam_grid(p["lam_min"], p["lam_max"], p["steps"])
    if not isinstance(p["folds"], int) or p["folds"] < 2:
        raise ValueError(f"folds must be a whole number >= 2, got {p['folds']!r}.")
    return p


def load_dataset(spec=None, raw=None):
    """The data set a run uses: abalone, or a CSV file with the person's choices.

    Parameters
    ----------
    spec : dict, optional
        None for abalone; else ``{"name", "target", "positive", "features",
        "shuffle"}`` (``positive``, ``features`` and ``shuffle``, a seed, may be
        None).
    raw : bytes, optional
        The CSV file's contents, when ``spec`` is given.

    Examples
    --------
    >>> load_dataset().target
    'sex'
    >>> raw = b"x,y\\n" + b"".join(b"%d,%d\\n" % (i, i % 2) for i in range(12))
    >>> load_dataset({"name": "f.csv", "target": "y"}, raw).classes
    {'positive': '1', 'negative': '0'}
    """
    if spec is None:
        data = load_abalone()
    else:
        data = read_csv(raw, spec["target"], spec.get("positive"),
                        spec.get("features"), name=spec.get("name", "file"))
    seed = None if spec is None else spec.get("shuffle")
    return data if seed is None else shuffled(data, seed)


def train(params=None, data=None, progress=None):
    """Fit on the first 80% of rows, validate on the rest.

    Parameters
    ----------
    params : dict, optional
        Any of `DEFAULTS`' keys; ``alpha, epochs, penalty, lam`` are used.
    data : Dataset, optional
        The abalone task by default.
    progress : callable, optional
        ``progress(done, total)`` in epochs.

    Returns
    -------
    dict
        ``params, target, classes, n_train, n_val, features, bias, weights,
        history, baseline, probabilities, notes, warnings``.

    Examples
    --------
    >>> result = train({"epochs": 10})
    >>> len(result["history"]["loss_train"]), result["n_train"]
    (11, 2268)
    """
    p = resolve(params)
    data = data if data is not None else load_abalone()
    return _fit_result(p, data, p["lam"], progress)


def search(params=None, data=None, progress=None):
    """Grid-search lambda by k-fold CV on all rows, then refit with the best.

    Returns
    -------
    dict
        ``params, target, classes, grid, best_lam, fold_weights, model,
        warnings``; ``model`` is a `train` result at the best lambda.
    """
    p = resolve(params)
    data = data if data is not None else load_abalone()
    total = p["folds"] * p["cv_epochs"] + p["epochs"]
    part = search_part(p, None, data, _scaled(progress, 0, total))
    return search_finish(p, [part], data, _scaled(progress, total - p["epochs"],
                                                  total))


def search_part(params, lam_indices=None, data=None, progress=None,
                on_fold=None):
    """Cross-validate the grid's lambdas at ``lam_indices`` (all by default).

    ``on_fold(result)``, if given, hears of each fold as it finishes:
    ``{"lam_indices", "lams", "fold", "fold_accuracy"}`` (fold from 1, one
    accuracy per lambda), so a page can draw the folds as they come.

    Returns
    -------
    dict
        ``lam_indices``, ``grid`` (their grid points), ``correct`` (per
        lambda, per fold), ``fold_size`` and ``fold_weights`` (per lambda, per
        fold: bias then weights).
    """
    p = resolve(params)
    data = data if data is not None else load_abalone()
    _require_penalty(p)
    lams = lam_grid(p["lam_min"], p["lam_max"], p["steps"])
    indices = list(range(lams.size)) if lam_indices is None else list(lam_indices)
    report = None
    if on_fold is not None:
        def report(f, accuracy):
            on_fold({"lam_indices": indices, "lams": lams[indices].tolist(),
                     "fold": f + 1, "fold_accuracy": accuracy.tolist()})
    correct, fold_size, weights = cross_validate(
        data.X, data.y, lams[indices], p["folds"], p["alpha"], p["cv_epochs"],
        p["penalty"], progress, report,
    )
    return {
        "lam_indices": indices,
        "grid": _grid(lams[indices], correct, fold_size),
        "correct": correct.tolist(),
        "fold_size": fold_size,
        "fold_weights": weights.tolist(),
    }


def search_finish(params, parts, data=None, progress=None):
    """Join `search_part` results, pick the best lambda and refit with it."""
    p = resolve(params)
    data = data if data is not None else load_abalone()
    lams = lam_grid(p["lam_min"], p["lam_max"], p["steps"])
    correct = np.full((lams.size, p["folds"]), -1)
    weights = np.empty((lams.size, p["folds"], len(data.features) + 1))
    for part in parts:
        correct[part["lam_indices"]] = part["correct"]
        weights[part["lam_indices"]] = part["fold_weights"]
    missing = np.flatnonzero(correct[:, 0] < 0)
    if missing.size:
        raise ValueError(f"grid points {missing.tolist()} were never computed.")
    fold_size = parts[0]["fold_size"]

    best = best_index(correct)
    model = _fit_result(p, data, float(lams[best]), progress)
    return {
        "params": p,
        "target": data.target,
        "classes": data.classes,
        "grid": _grid(lams, correct, fold_size),
        "best_lam": float(lams[best]),
        "fold_weights": [
            {"fold": f + 1, "bias": float(w[0]), "weights": _named(data, w[1:])}
            for f, w in enumerate(weights[best])
        ],
        "model": model,
        "warnings": model["warnings"],
    }


def _grid(lams, correct, fold_size):
    return [
        {
            "lam": float(lam),
            "mean_accuracy": float(row.sum() / (fold_size * row.size)),
            "fold_accuracy": (row / fold_size).tolist(),
        }
        for lam, row in zip(lams, np.asarray(correct))
    ]


def _fit_result(p, data, lam, progress):
    train_rows, val_rows = train_val_split(len(data.y))
    X, y = data.X, data.y
    model = LogisticRegression(p["alpha"], p["epochs"], p["penalty"], lam)
    report = None if progress is None else (lambda done: progress(done, p["epochs"]))
    model.fit(X[train_rows], y[train_rows], X[val_rows], y[val_rows], report)
    history = {key: values.tolist() for key, values in model.history_.items()}
    return {
        "params": {**p, "lam": lam},
        "target": data.target,
        "classes": data.classes,
        "n_train": len(y[train_rows]),
        "n_val": len(y[val_rows]),
        "features": list(data.features),
        "bias": model.intercept_,
        "weights": _named(data, model.coef_),
        "history": history,
        "baseline": {
            "train": _majority_accuracy(y[train_rows], y[train_rows]),
            "val": _majority_accuracy(y[train_rows], y[val_rows]),
        },
        "probabilities": {
            "p_positive": model.predict_proba(X).tolist(),
            "actual": y.astype(int).tolist(),
        },
        "notes": list(data.notes),
        "warnings": _warnings(p, data, model, train_rows),
    }


def _majority_accuracy(y_train, y):
    """Accuracy of always predicting the training set's majority class.

    A tie goes to the positive class, as the untrained model (y_hat = 0.5)
    predicts it.
    """
    majority = 1.0 if y_train.mean() >= 0.5 else 0.0
    return float(np.mean(y == majority))


def _warnings(p, data, model, train_rows):
    warnings = []
    constant = [name for name, c in zip(data.features, model.standardizer_.constant_)
                if c]
    if constant:
        warnings.append(
            f"{', '.join(constant)} {'is' if len(constant) == 1 else 'are'} constant "
            "in the training rows: its weight stays 0."
        )
    warnings += [
        warning[0].upper() + warning[1:]
        for warning in class_balance_warnings(
            data.y, train_rows.stop, p["folds"], data.classes)
    ]
    if model.history_["acc_train"][-1] == 1.0:
        warnings.append(
            "The training classes are perfectly separable: every training row is "
            "classified right, so without a penalty the weights keep growing for as "
            "long as training runs. A larger lambda keeps them finite and smaller."
        )
    return warnings


def _named(data, values):
    return {name: float(v) for name, v in zip(data.features, values)}


def _require_penalty(p):
    if p["penalty"] == "none":
        raise ValueError(
            "the lambda search needs a penalty: choose l2 or l1 (with penalty "
            "none every lambda trains the same model)."
        )


def _scaled(progress, offset, total):
    if progress is None:
        return None
    return lambda done, _total: progress(offset + done, total)
