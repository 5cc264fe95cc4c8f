"""Splits, folds and the lambda grid; the batched CV against one fit per model."""

import math
from pathlib import Path

import numpy as np
import pytest

from ferrolearn import (
    Dataset, LogisticRegression, grid_search, k_fold, lam_grid, load_abalone,
)
from ferrolearn import study, train_val_split
from ferrolearn.selection import best_index, cross_validate


def test_article_split_sizes():
    train, val = train_val_split(2835)
    assert (train.stop - train.start, val.stop - val.start) == (2268, 567)


def test_folds_on_a_hand_made_set():
    folds = k_fold(11, 3)
    assert [val.tolist() for _, val in folds] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert [train.tolist() for train, _ in folds] == [
        [3, 4, 5, 6, 7, 8, 9, 10],
        [0, 1, 2, 6, 7, 8, 9, 10],
        [0, 1, 2, 3, 4, 5, 9, 10],
    ]


def test_too_few_rows_for_the_folds():
    with pytest.raises(ValueError, match="4 rows are too few for 5 folds"):
        k_fold(4, 5)
    with pytest.raises(ValueError, match="folds must be a whole number >= 2"):
        k_fold(10, 1)


def test_lam_grid_is_zero_then_log_spaced():
    grid = lam_grid()
    assert grid.size == 31 and grid[0] == 0.0
    expected = [10 ** (-6 + 7 * i / 29) for i in range(30)]
    np.testing.assert_allclose(grid[1:], expected, rtol=1e-12)
    assert grid[24] == pytest.approx(0.35622, abs=1e-5)
    with pytest.raises(ValueError, match=r"lam_min \(1\) must be below lam_max"):
        lam_grid(1.0, 1.0, 3)


def test_ties_go_to_the_larger_lambda():
    assert best_index(np.array([[5, 5], [4, 6], [6, 3]])) == 1
    assert best_index(np.array([[1, 1], [1, 1]])) == 1


def sequential_cv(X, y, lams, folds, alpha, epochs, penalty):
    """One public fit per (lambda, fold), each on that fold's rows."""
    size = len(y) // folds
    rows = np.arange(len(y))
    accuracy = np.empty((len(lams), folds))
    weights = np.empty((len(lams), folds, X.shape[1] + 1))
    for f in range(folds):
        val = rows[f * size : (f + 1) * size]
        train = np.setdiff1d(rows, val)
        for j, lam in enumerate(lams):
            model = LogisticRegression(alpha, epochs, penalty, lam).fit(
                X[train], y[train]
            )
            accuracy[j, f] = model.score(X[val], y[val])
            weights[j, f] = np.r_[model.intercept_, model.coef_]
    return accuracy, weights


def synthetic(m, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, d)) * rng.uniform(0.5, 20, d) + rng.uniform(-5, 5, d)
    logits = X @ rng.standard_normal(d) * 0.3
    y = (rng.uniform(size=m) < 1 / (1 + np.exp(-logits))) * 1.0
    return X, y


@pytest.mark.parametrize("m, folds, penalty", [
    (53, 5, "l2"),   # 53 = 5 * 10 + 3: three rows are in every training set
    (40, 4, "l2"),
    (47, 3, "l1"),
    (31, 2, "none"),
])
def test_batched_cv_equals_one_fit_per_model(m, folds, penalty):
    X, y = synthetic(m, 3, seed=m)
    lams = lam_grid(1e-3, 3.0, 5)
    alpha, epochs = 0.3, 400
    result = grid_search(X, y, lams, folds, alpha, epochs, penalty)
    accuracy, weights = sequential_cv(X, y, lams, folds, alpha, epochs, penalty)
    np.testing.assert_array_equal(result["fold_accuracy"], accuracy)
    tolerance = 1e-12 if penalty != "l1" else 5 * alpha * lams.max() / m
    np.testing.assert_allclose(result["fold_weights"], weights[result["best"]],
                               rtol=0, atol=tolerance)
    np.testing.assert_allclose(result["mean_accuracy"], accuracy.mean(axis=1),
                               rtol=0, atol=1e-15)


def test_batched_cv_equals_one_fit_per_model_on_abalone():
    data = load_abalone()
    lams = lam_grid(1e-3, 10.0, 4)
    result = grid_search(data.X, data.y, lams, 5, 0.01, 300, "l2")
    accuracy, weights = sequential_cv(data.X, data.y, lams, 5, 0.01, 300, "l2")
    np.testing.assert_array_equal(result["fold_accuracy"], accuracy)
    _, _, batched = cross_validate(data.X, data.y, lams, 5, 0.01, 300, "l2")
    np.testing.assert_allclose(batched, weights, rtol=0, atol=1e-12)


def test_search_in_parts_equals_one_search():
    params = {"cv_epochs": 200, "epochs": 200, "steps": 6}
    whole = study.search(params)
    parts = [study.search_part(params, [5, 0, 3]),
             study.search_part(params, [1, 2, 4, 6])]
    joined = study.search_finish(params, parts)
    assert joined["best_lam"] == whole["best_lam"]
    for a, b in zip(joined["grid"], whole["grid"]):
        assert a["fold_accuracy"] == b["fold_accuracy"]
    for a, b in zip(joined["fold_weights"], whole["fold_weights"]):
        np.testing.assert_allclose(list(a["weights"].values()),
                                   list(b["weights"].values()), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match=r"grid points \[6\] were never computed"):
        study.search_finish(params, parts[:1] + [study.search_part(params, [1, 2, 4])])


def test_search_rejects_penalty_none():
    with pytest.raises(ValueError, match="the lambda search needs a penalty"):
        study.search({"penalty": "none", "cv_epochs": 10})


def test_train_result_shape():
    result = study.train({"epochs": 20})
    assert result["target"] == "sex"
    assert result["classes"] == {"positive": "M", "negative": "F"}
    assert (result["n_train"], result["n_val"]) == (2268, 567)
    assert list(result["weights"]) == list(load_abalone().features)
    assert len(result["probabilities"]["p_positive"]) == 2835
    assert sum(result["probabilities"]["actual"]) == 1528
    data = load_abalone()
    assert result["baseline"]["val"] == float(np.mean(data.y[2268:] == 1))
    assert {len(v) for v in result["history"].values()} == {21}


def test_unknown_setting_is_named():
    with pytest.raises(ValueError, match="unknown setting 'alpah'"):
        study.train({"alpah": 0.1})


@pytest.mark.slow
def test_article_figures():
    result = study.search({})
    model = result["model"]
    history = model["history"]
    assert history["loss_train"][0] == pytest.approx(math.log(2))
    assert history["loss_train"][-1] == pytest.approx(0.680, abs=0.003)
    assert history["loss_val"][-1] == pytest.approx(0.675, abs=0.002)
    assert history["acc_train"][-1] == pytest.approx(0.57, abs=0.01)
    assert history["acc_val"][-1] == pytest.approx(0.584, abs=0.002)
    assert result["best_lam"] == pytest.approx(0.356, abs=0.001)
    assert model["weights"]["shucked_weight"] == pytest.approx(0.38, abs=0.01)
    means = [point["mean_accuracy"] for point in result["grid"]]
    assert min(means) > 0.555 and max(means) < 0.565
    assert max(means) - min(means) < 0.002


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_search_in_parts_equals_one_fit_per_model(penalty):
    # 53 rows in 5 folds: folds of 10, three rows in every training set.
    X, y = synthetic(53, 3, seed=11)
    data = Dataset(X=X, y=y, features=("a", "b", "c"), target="t",
                   classes={"positive": "1", "negative": "0"})
    params = {"alpha": 0.3, "cv_epochs": 300, "epochs": 50, "penalty": penalty,
              "lam_min": 1e-3, "lam_max": 3.0, "steps": 5}
    parts = [study.search_part(params, [0, 4, 5], data),
             study.search_part(params, [1, 2, 3], data)]
    joined = study.search_finish(params, parts, data)
    lams = lam_grid(1e-3, 3.0, 5)
    accuracy, weights = sequential_cv(X, y, lams, 5, 0.3, 300, penalty)
    assert [p["fold_accuracy"] for p in joined["grid"]] == accuracy.tolist()
    best = int(np.flatnonzero(lams == joined["best_lam"])[0])
    tolerance = 1e-12 if penalty == "l2" else 5 * 0.3 * 3.0 / 53
    for fold, expected in zip(joined["fold_weights"], weights[best]):
        got = [fold["bias"], *fold["weights"].values()]
        np.testing.assert_allclose(got, expected, rtol=0, atol=tolerance)


def test_study_warns_of_a_constant_feature_once():
    raw = (Path(__file__).parent / "fixtures" / "csv" / "constant.csv").read_bytes()
    spec = {"name": "constant.csv", "target": "label"}
    result = study.train({"epochs": 20}, study.load_dataset(spec, raw))
    assert result["weights"]["batch"] == 0.0
    said = result["notes"] + result["warnings"]
    assert [line for line in said if "constant" in line] == [
        "batch is constant in the training rows: its weight stays 0."]


def test_search_part_reports_each_fold_as_it_finishes():
    params = {"cv_epochs": 50, "steps": 3, "lam_min": 0.01, "lam_max": 1.0}
    heard = []
    part = study.search_part(params, [1, 3], progress=None, on_fold=heard.append)
    assert [h["fold"] for h in heard] == [1, 2, 3, 4, 5]
    assert all(h["lam_indices"] == [1, 3] for h in heard)
    assert heard[0]["lams"] == pytest.approx([0.01, 1.0])
    by_fold = [h["fold_accuracy"] for h in heard]
    assert [list(folds) for folds in zip(*by_fold)] == [
        point["fold_accuracy"] for point in part["grid"]]
