"""The estimator: standardize, then logistic regression by gradient descent."""

import math
import numbers

import numpy as np

from .descent import PENALTIES, descend, design, evaluate_path, sigmoid


# The curves keep every epoch's weights: a million epochs of 9 weights is 72 MB.
MAX_EPOCHS = 1_000_000


class DivergenceError(ValueError):
    """Training ran away; the message says where and what to try."""


class Standardizer:
    """Centre and scale each column by statistics of the rows it was fitted on.

    The scale is the population standard deviation. A constant column maps to
    0 rather than to NaN.

    Examples
    --------
    >>> s = Standardizer().fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
    >>> s.transform(np.array([[2.0, 5.0], [5.0, 7.0]]))
    array([[0., 0.],
           [3., 2.]])
    """

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        # Exact test: a float mean of a constant column can miss it by an ulp.
        constant = X.max(axis=0) == X.min(axis=0)
        with np.errstate(over="ignore", invalid="ignore"):
            std = X.std(axis=0)
        too_wide = np.flatnonzero(~np.isfinite(std))
        if too_wide.size:
            raise ValueError(
                f"column {too_wide[0] + 1} spans too wide a range to standardize "
                "(its standard deviation overflows); rescale it."
            )
        self.mean_ = np.where(constant, X[0], X.mean(axis=0))
        self.scale_ = np.where(constant, 1.0, std)
        self.constant_ = constant
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.mean_) / self.scale_


class LogisticRegression:
    """Binary logistic regression trained by full-batch gradient descent.

    Features are standardized with the training rows' mean and population
    standard deviation; weights start at zero, the bias leads and is never
    penalized.

    Parameters
    ----------
    learning_rate : float
        Step size alpha, > 0.
    epochs : int
        Number of full-batch steps, >= 1.
    penalty : {"l2", "l1", "none"}
        Adds (lam/m) w (L2) or (lam/m) sign(w) (L1) to the gradient.
    lam : float
        Penalty strength lambda, >= 0.

    Attributes
    ----------
    coef_ : ndarray of shape (d,)
        Weights in standardized units.
    intercept_ : float
    standardizer_ : Standardizer
    history_ : dict
        ``loss_train``, ``acc_train`` (and ``loss_val``, ``acc_val`` when
        validation rows were given), ``epochs + 1`` values each: point 0 is the
        untrained model, the last point the fitted one.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = LogisticRegression(learning_rate=0.5, epochs=200, lam=0.0)
    >>> model.fit(X, np.array([0, 0, 1, 1])).predict(X)
    array([0, 0, 1, 1])
    """

    def __init__(self, learning_rate=0.01, epochs=5000, penalty="l2", lam=0.01):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.penalty = penalty
        self.lam = lam

    def fit(self, X, y, X_val=None, y_val=None, progress=None):
        """Train on ``X, y``; record curves on ``X_val, y_val`` too if given."""
        check_hyperparameters(self.learning_rate, self.epochs, self.penalty, self.lam)
        X, y = check_xy(X, y)
        self.m_ = len(y)
        self.standardizer_ = Standardizer().fit(X)
        Xd = design(self.standardizer_.transform(X))
        run = descend(
            Xd, y, [self.lam], self.learning_rate, self.epochs, self.penalty,
            track=True, progress=progress,
        )
        path = run.path[:, 0]

        history = {"loss_train": run.loss[:, 0], "acc_train": run.accuracy[:, 0]}
        if X_val is not None:
            X_val, y_val = check_xy(X_val, y_val, "X_val", "y_val")
            Xv = design(self.standardizer_.transform(X_val))
            history["loss_val"], history["acc_val"] = evaluate_path(path, Xv, y_val)
        self.history_ = history
        self._check_converging(run.epochs_run)

        self.intercept_ = float(path[-1, 0])
        self.coef_ = path[-1, 1:].copy()
        return self

    def _check_converging(self, epochs_run):
        loss = self.history_["loss_train"]
        best = int(np.argmin(loss))
        fell = (
            f"the loss last fell at epoch {best} (to {loss[best]:.4f})" if best
            else "the loss never fell below its starting value"
        )
        smaller = f"try a smaller learning rate, e.g. {self.learning_rate / 10:g}."
        if self.penalty == "l2" and self.learning_rate * self.lam / self.m_ >= 1:
            # Then the penalty step alone overshoots zero: lambda is the cause.
            smaller = (f"try a smaller lambda (alpha x lambda / rows is "
                       f"{self.learning_rate * self.lam / self.m_:.3g}; keep it "
                       "well below 1).")
        where = f"{fell}; {smaller}"
        if epochs_run < self.epochs:
            raise DivergenceError(
                f"Training diverged at learning rate {self.learning_rate:g}: the "
                f"weights stopped being finite after epoch {epochs_run}; {where}"
            )
        if loss[-1] > loss[0]:
            raise DivergenceError(
                f"Training diverged at learning rate {self.learning_rate:g}: the "
                f"final training loss {loss[-1]:.4f} is above its starting value "
                f"ln 2 = {loss[0]:.4f}; {where}"
            )

    def decision_function(self, X):
        """The logit X̃w̃ of each row."""
        return self.standardizer_.transform(X) @ self.coef_ + self.intercept_

    def predict_proba(self, X):
        """P(y = 1) for each row, shape (n,)."""
        return sigmoid(self.decision_function(X))

    def predict(self, X, threshold=0.5):
        """1 where P(y = 1) >= threshold, else 0."""
        return (self.predict_proba(X) >= threshold).astype(int)

    def score(self, X, y):
        """Accuracy: the fraction of rows predicted right."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


def check_hyperparameters(learning_rate, epochs, penalty, lam, epochs_name="epochs"):
    """Raise ValueError naming the first setting out of its allowed range."""
    if not _real(learning_rate) or not learning_rate > 0:
        raise ValueError(
            f"learning rate alpha must be a positive number, got {learning_rate!r}."
        )
    if not isinstance(epochs, numbers.Integral) or not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(
            f"{epochs_name} must be a whole number from 1 to {MAX_EPOCHS:,}, "
            f"got {epochs!r}."
        )
    if penalty not in PENALTIES:
        raise ValueError(
            f"penalty must be one of {', '.join(PENALTIES)}, got {penalty!r}."
        )
    if not _real(lam) or lam < 0:
        raise ValueError(f"lambda must be a number >= 0, got {lam!r}.")


def _real(value):
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def check_xy(X, y, x_name="X", y_name="y"):
    """Validate a feature matrix and its 0/1 targets; return float arrays."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"{x_name} must be 2-D (rows, features), got {X.ndim}-D.")
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"{y_name} must hold one value per row of {x_name}: "
            f"{X.shape[0]} expected, got shape {y.shape}."
        )
    if X.shape[0] == 0:
        raise ValueError(f"{x_name} has no rows.")
    if not np.isfinite(X).all():
        raise ValueError(f"{x_name} holds NaN or infinite values.")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"{y_name} must hold only 0 and 1.")
    return X, y
