"""The estimator against independent computations: closed forms, finite
differences, Newton's method and hand-worked cases."""

import math
import warnings

import numpy as np
import pytest

from ferrolearn import (
    DivergenceError,
    LogisticRegression,
    Standardizer,
    load_abalone,
    log_loss,
    sigmoid,
    train_val_split,
)


@pytest.fixture(scope="module")
def abalone_split():
    data = load_abalone()
    train, val = train_val_split(len(data.y))
    return data.X[train], data.y[train], data.X[val], data.y[val]


def objective(Xd, y, w, lam):
    """Mean BCE plus (lam / 2m) ||w||^2 without the bias, written out plainly."""
    total = 0.0
    for row, target in zip(Xd, y):
        z = float(row @ w)
        p = 1.0 / (1.0 + math.exp(-z))
        total -= target * math.log(p) + (1 - target) * math.log(1 - p)
    return total / len(y) + lam / (2 * len(y)) * float(w[1:] @ w[1:])


def standardized_design(X, X_fit):
    mean = X_fit.mean(axis=0)
    std = np.sqrt(((X_fit - mean) ** 2).mean(axis=0))
    return np.hstack([np.ones((len(X), 1)), (X - mean) / std])


def newton_optimum(Xd, y, lam, steps=30):
    m, n = Xd.shape
    penalty = np.diag([0.0] + [lam / m] * (n - 1))
    w = np.zeros(n)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-Xd @ w))
        gradient = Xd.T @ (p - y) / m + penalty @ w
        hessian = (Xd * (p * (1 - p))[:, None]).T @ Xd / m + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w


def test_sigmoid_is_quiet_and_exact_at_extremes():
    z = np.array([-1e4, -800.0, -math.log(3), 0.0, math.log(3), 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = sigmoid(z)
    assert p.tolist() == pytest.approx([0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0],
                                       abs=1e-15)


def test_log_loss_clamps_certain_mistakes():
    assert log_loss(np.array([1.0]), np.array([0.0])) == pytest.approx(
        -math.log(1e-15)
    )
    assert log_loss(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(
        math.log(2)
    )


def test_untrained_model_has_loss_ln2_and_predicts_positive(abalone_split):
    X, y, Xv, yv = abalone_split
    history = LogisticRegression(epochs=1).fit(X, y, Xv, yv).history_
    assert history["loss_train"][0] == pytest.approx(math.log(2), abs=1e-13)
    assert history["loss_val"][0] == pytest.approx(math.log(2), abs=1e-13)
    assert history["acc_train"][0] == np.mean(y == 1)
    assert history["acc_val"][0] == np.mean(yv == 1)


@pytest.mark.parametrize("penalty, lam", [("none", 0.0), ("l2", 5.0)])
def test_gradient_matches_finite_differences(abalone_split, penalty, lam):
    X, y, _, _ = abalone_split
    X, y = X[:300], y[:300]
    alpha = 0.5
    model = LogisticRegression(alpha, 40, penalty, lam).fit(X, y)
    # Each step is w <- w - alpha * g(w): recover g at the step's start.
    before = LogisticRegression(alpha, 39, penalty, lam).fit(X, y)
    w = np.r_[before.intercept_, before.coef_]
    step = (w - np.r_[model.intercept_, model.coef_]) / alpha

    Xd = standardized_design(X, X)
    h = 1e-6
    numeric = np.array([
        (objective(Xd, y, w + h * e, lam) - objective(Xd, y, w - h * e, lam))
        / (2 * h)
        for e in np.eye(len(w))
    ])
    assert np.abs(w).max() > 0.1
    np.testing.assert_allclose(step, numeric, atol=1e-8)


def test_long_run_lands_on_newton_optimum(abalone_split):
    X, y, _, _ = abalone_split
    lam = 1.0
    model = LogisticRegression(learning_rate=1.0, epochs=10_000, lam=lam).fit(X, y)
    expected = newton_optimum(standardized_design(X, X), y, lam)
    np.testing.assert_allclose(np.r_[model.intercept_, model.coef_], expected,
                               atol=1e-9)


def test_l1_step_by_hand():
    # Standardized x = [-1, 1]; y = [0, 1]. From w = 0 the data gradient is
    # (1/2)[(0.5 - 0)(-1) + (0.5 - 1)(1)] = -0.5 for the weight, 0 for the bias,
    # and sign(0) = 0 adds no penalty; the next step adds (lam/m) sign(w).
    X = np.array([[2.0], [4.0]])
    y = np.array([0.0, 1.0])
    one = LogisticRegression(0.1, 1, "l1", 1.0).fit(X, y)
    assert one.coef_.tolist() == [0.05] and one.intercept_ == 0.0
    two = LogisticRegression(0.1, 2, "l1", 1.0).fit(X, y)
    p = 1 / (1 + np.exp(-0.05 * np.array([-1.0, 1.0])))
    g = ((p - y) @ np.array([-1.0, 1.0])) / 2 + 1.0 / 2 * 1.0
    assert two.coef_[0] == pytest.approx(0.05 - 0.1 * g, abs=1e-15)
    assert two.intercept_ == pytest.approx(-0.1 * (p - y).mean(), abs=1e-15)


def test_standardizer_uses_population_std_and_maps_constant_to_zero():
    X = np.array([[1.0, 0.1], [2.0, 0.1], [6.0, 0.1]])
    s = Standardizer().fit(X)
    assert s.mean_[0] == 3.0
    assert s.scale_[0] == pytest.approx(math.sqrt((4 + 1 + 9) / 3))
    assert s.transform(X)[:, 1].tolist() == [0.0, 0.0, 0.0]
    assert s.transform(np.array([[3.0, 7.0]])).tolist() == [[0.0, 6.9]]


def test_constant_feature_weight_stays_zero():
    rng = np.random.default_rng(1)
    X = np.c_[rng.standard_normal(50), np.full(50, 0.3)]
    y = (X[:, 0] + rng.standard_normal(50) > 0) * 1.0
    for penalty in ("none", "l1", "l2"):
        model = LogisticRegression(0.1, 300, penalty, 1.0).fit(X, y)
        assert model.coef_[1] == 0.0
        assert np.isfinite(model.history_["loss_train"]).all()


def test_validation_rows_do_not_move_the_model(abalone_split):
    X, y, Xv, yv = abalone_split
    a = LogisticRegression(epochs=200).fit(X, y, Xv, yv)
    changed = Xv.copy()
    changed[0] = changed[0] * 100
    b = LogisticRegression(epochs=200).fit(X, y, changed, yv)
    assert a.intercept_ == b.intercept_
    assert a.coef_.tolist() == b.coef_.tolist()
    np.testing.assert_array_equal(b.standardizer_.mean_, X.mean(axis=0))
    assert a.history_["loss_val"][-1] != b.history_["loss_val"][-1]


def test_history_has_epochs_plus_one_points_ending_at_the_model(abalone_split):
    X, y, Xv, yv = abalone_split
    model = LogisticRegression(epochs=37).fit(X, y, Xv, yv)
    for curve in model.history_.values():
        assert len(curve) == 38
    p = model.predict_proba(Xv)
    assert model.history_["loss_val"][-1] == pytest.approx(log_loss(yv, p),
                                                           abs=1e-12)
    assert model.history_["acc_val"][-1] == model.score(Xv, yv)


def test_history_equals_per_epoch_computation(abalone_split):
    X, y, Xv, yv = abalone_split
    epochs = 60
    model = LogisticRegression(0.05, epochs, "l2", 0.3).fit(X, y, Xv, yv)
    for t in (0, 1, 17, epochs):
        at_t = LogisticRegression(0.05, max(t, 1), "l2", 0.3).fit(X, y)
        p = (at_t.predict_proba(Xv) if t else np.full(len(yv), 0.5))
        assert model.history_["loss_val"][t] == pytest.approx(log_loss(yv, p),
                                                              abs=1e-12)
        assert model.history_["acc_val"][t] == np.mean((p >= 0.5) == (yv == 1))


def test_divergence_is_reported_with_advice(abalone_split):
    X, y, _, _ = abalone_split
    with pytest.raises(DivergenceError, match=r"smaller learning rate, e\.g\. 10"):
        LogisticRegression(learning_rate=100, epochs=300).fit(X, y)


def test_exploding_weights_stop_training():
    # alpha * lam / m = 4 > 2: the L2 shrink term itself grows w each step.
    X = np.array([[0.0], [1.0], [0.0], [1.0]])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    with pytest.raises(DivergenceError, match="stopped being finite after epoch"):
        LogisticRegression(1.0, 5000, "l2", 16.0).fit(X, y)


def test_separable_data_stays_finite():
    X = np.arange(20.0)[:, None]
    y = (X[:, 0] >= 10) * 1.0
    model = LogisticRegression(1.0, 3000, "none", 0.0).fit(X, y)
    assert np.isfinite(model.coef_).all()
    assert model.history_["acc_train"][-1] == 1.0
    assert model.history_["loss_train"][-1] < 0.05


@pytest.mark.parametrize("kwargs, message", [
    ({"learning_rate": 0}, "learning rate alpha must be a positive number"),
    ({"learning_rate": float("nan")}, "learning rate alpha must be a positive"),
    ({"epochs": 0}, "epochs must be a whole number from 1 to 1,000,000, got 0"),
    ({"epochs": 2.5}, "epochs must be a whole number from 1 to 1,000,000"),
    ({"epochs": 10**8}, "epochs must be a whole number from 1 to 1,000,000"),
    ({"penalty": "l3"}, "penalty must be one of none, l1, l2, got 'l3'"),
    ({"lam": -1}, "lambda must be a number >= 0, got -1"),
])
def test_bad_settings_name_the_setting(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LogisticRegression(**kwargs).fit(np.zeros((3, 1)), np.array([0, 1, 0]))


def test_bad_targets_are_rejected():
    with pytest.raises(ValueError, match="y must hold only 0 and 1"):
        LogisticRegression().fit(np.zeros((2, 1)), np.array([0, 2]))
    with pytest.raises(ValueError, match="3 expected"):
        LogisticRegression().fit(np.zeros((3, 1)), np.array([0, 1]))


def test_history_in_the_clamped_regime_matches_the_textbook_loss():
    # Separable rows: logits pass 34.5, where p is clamped at 1e-15.
    X = np.r_[np.linspace(-3, -1, 10), np.linspace(1, 3, 10)][:, None]
    y = (X[:, 0] > 0) * 1.0
    model = LogisticRegression(100.0, 400, "none", 0.0).fit(X, y, X, y)
    assert abs(model.decision_function(X)).max() > 40
    for t in (1, 50, 400):
        at_t = LogisticRegression(100.0, t, "none", 0.0).fit(X, y)
        p = at_t.predict_proba(X)
        expected = log_loss(y, p)
        assert model.history_["loss_train"][t] == pytest.approx(expected, rel=1e-12)
        assert model.history_["loss_val"][t] == pytest.approx(expected, rel=1e-12)


def test_a_lambda_too_large_for_the_step_is_named_as_the_cause():
    X = np.arange(10.0)[:, None]
    y = (np.arange(10) % 3 == 0) * 1.0
    with pytest.raises(DivergenceError, match=r"try a smaller lambda \(alpha x "
                       r"lambda / rows is 1e\+299"):
        LogisticRegression(1.0, 50, "l2", 1e300).fit(X, y)


def test_a_column_too_wide_to_standardize_is_named():
    X = np.c_[np.arange(4.0), [1e300, -1e300, 1e300, -1e300]]
    with pytest.raises(ValueError, match="column 2 spans too wide a range"):
        Standardizer().fit(X)
