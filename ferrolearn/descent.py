"""Full-batch gradient descent for logistic regression, many models at once.

Every model trained here shares one design matrix; row j of the weight matrix
is the model for penalty strength ``lams[j]``. One epoch is then a few large
numpy operations on preallocated buffers, whatever the number of models.

Models are kept as rows (models x samples) because numpy's matmul without
BLAS, as in Pyodide, runs fastest in that layout.
"""

import sys
from dataclasses import dataclass

import numpy as np

EPS = 1e-15
PENALTIES = ("none", "l1", "l2")
_CHUNK_EPOCHS = 250
_CHUNK_ELEMENTS = 1 << 20
# Below this |z| the clamp at 1e-15 never acts and log(1 + exp(-z)) equals the
# textbook -log(y_hat) to within 1e-12; above it the textbook formula is used.
_SAFE_LOGIT = 15.0
_LOG_BLOCK = 32


if sys.platform == "emscripten":
    # Pyodide's numpy has no BLAS: there einsum's summing loops run these
    # products up to twice as fast as matmul's. Elsewhere BLAS wins by far.
    def _forward(W, minus_Xt, out):
        return np.einsum("lk,km->lm", W, minus_Xt, out=out)

    def _backward(S, Xt, out):
        return np.einsum("lm,km->lk", S, Xt, out=out)

    def _rows_dot(A, v, out=None):
        return np.einsum("lm,m->l", A, v, out=out)

else:
    def _forward(W, minus_Xt, out):
        return np.matmul(W, minus_Xt, out=out)

    def _backward(S, Xt, out):
        return np.matmul(S, Xt.T, out=out)

    def _rows_dot(A, v, out=None):
        return np.matmul(A, v, out=out)


def sigmoid(z, out=None):
    """The logistic function 1 / (1 + exp(-z)), quiet for any finite z.

    exp(-z) overflows to inf for z below about -709; 1 / (1 + inf) is then 0,
    which is the correctly rounded value, so the overflow warning is silenced.

    Examples
    --------
    >>> sigmoid(np.array([-1e4, 0.0, 1e4]))
    array([0. , 0.5, 1. ])
    """
    with np.errstate(over="ignore"):
        out = np.negative(z, out=out)
        np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def log_loss(y, p):
    """Mean binary cross-entropy, with p clamped to [1e-15, 1 - 1e-15].

    Examples
    --------
    >>> round(log_loss(np.array([1.0, 0.0]), np.array([0.5, 0.5])), 6)
    0.693147
    """
    p = np.clip(p, EPS, 1.0 - EPS)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def design(X):
    """Prepend the column of ones that carries the bias."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


@dataclass
class Descent:
    """What `descend` returns.

    Attributes
    ----------
    W : ndarray of shape (len(lams), n)
        Weights after the last epoch run, bias first.
    epochs_run : int
        The epochs asked for, or fewer when a weight stopped being finite.
    path : ndarray of shape (epochs_run + 1, len(lams), n) or None
        ``path[t]`` holds the weights after t epochs; ``path[0]`` is zeros.
    loss, accuracy : ndarray of shape (epochs_run + 1, len(lams)) or None
        Training-set curves; path and curves only with ``track=True``.
    """

    W: np.ndarray
    epochs_run: int
    path: np.ndarray = None
    loss: np.ndarray = None
    accuracy: np.ndarray = None


def descend(Xd, y, lams, learning_rate, epochs, penalty, track=False,
            progress=None):
    """Train one model per penalty strength by full-batch gradient descent.

    Parameters
    ----------
    Xd : ndarray of shape (m, n)
        Design matrix: a leading column of ones, then standardized features.
    y : ndarray of shape (m,)
        Targets, 0.0 or 1.0.
    lams : sequence of float
        One penalty strength per model; ignored when ``penalty == "none"``.
    learning_rate : float
    epochs : int
    penalty : {"none", "l1", "l2"}
    track : bool
        Keep the weights after every epoch (the weight path) and return the
        training loss and accuracy of every epoch, taken from the predictions
        the step computes anyway.
    progress : callable, optional
        Called as ``progress(epochs_done)`` every few hundred epochs.

    Returns
    -------
    Descent

    Examples
    --------
    >>> Xd = design(np.array([[-1.0], [1.0]]))
    >>> descend(Xd, np.array([0.0, 1.0]), [0.0], 0.1, 1, "none").W
    array([[0.  , 0.05]])
    """
    m, n = Xd.shape
    y = np.asarray(y, dtype=float)
    lams = np.asarray(lams, dtype=float)
    Xt = np.ascontiguousarray(Xd.T)
    minus_Xt = -Xt
    Xt_y = Xt @ y
    W = np.zeros((lams.size, n))
    S = np.empty((lams.size, m))
    G = np.empty_like(W)
    R = np.empty((lams.size, n - 1))
    # (1 - alpha lam / m) w - (alpha / m) X^T (y_hat - y) is the article's step
    # w - alpha [(1/m) X^T (y_hat - y) + (lam / m) w], rearranged.
    decay = (1.0 - learning_rate * lams / m)[:, None]
    l1_step = (learning_rate * lams / m)[:, None]
    path = np.empty((epochs + 1,) + W.shape) if track else None
    if track:
        path[0] = W
    curves = _TrainingCurves(S, y, epochs) if track else None

    done = 0
    # Non-finite weights are detected below and reported, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        while done < epochs:
            stop = min(epochs, done + _CHUNK_EPOCHS)
            for t in range(done, stop):
                # s = 1 + exp(-X w); y_hat = 1 / s
                _forward(W, minus_Xt, out=S)
                np.exp(S, out=S)
                S += 1.0
                if track:
                    curves.collect(t)
                np.reciprocal(S, out=S)
                _backward(S, Xt, out=G)
                G -= Xt_y
                G *= learning_rate / m
                if penalty == "l2":
                    W[:, 1:] *= decay
                elif penalty == "l1":
                    W[:, 1:] -= np.multiply(np.sign(W[:, 1:], out=R), l1_step,
                                            out=R)
                W -= G
                if track:
                    path[t + 1] = W
            if not np.isfinite(W).all():
                break
            done = stop
            if progress is not None:
                progress(done)

    result = Descent(W, done)
    if track:
        if done < epochs:
            done = _last_finite_epoch(path, done, stop)
            result.epochs_run = done
        result.path = path[: done + 1]
        result.loss, result.accuracy = curves.finish(result.path, Xd)
    return result


def _last_finite_epoch(path, start, stop):
    finite = np.isfinite(path[start : stop + 1]).all(axis=(1, 2))
    return start + int(np.argmin(finite)) - 1


class _TrainingCurves:
    """Training loss and accuracy per epoch, from the s = 1 + exp(-z) that each
    step computes anyway."""

    def __init__(self, S, y, epochs):
        models, m = S.shape
        self.y = y
        # sum(log s) as the log of products of 32 s at a time: within the safe
        # logit range s < 2^22, so no product overflows, and one log does the
        # work of 32.
        self.blocks = m // _LOG_BLOCK
        cut = self.blocks * _LOG_BLOCK
        self.head = S[:, :cut].reshape(models, self.blocks, _LOG_BLOCK)
        self.tail = S[:, cut:]
        self.products = np.empty((models, self.blocks + 1))
        self.S = S
        self.hit = np.empty_like(S)
        self.sign = 2.0 * y - 1.0
        self.sum_log_s = np.empty((epochs + 1, models))
        self.hits = np.empty((epochs + 1, models))

    def collect(self, t):
        products = self.products
        np.multiply.reduce(self.head, axis=2, out=products[:, : self.blocks])
        np.multiply.reduce(self.tail, axis=1, out=products[:, self.blocks])
        np.log(products, out=products).sum(axis=1, out=self.sum_log_s[t])
        # y_hat >= 0.5 exactly when s <= 2.
        np.less_equal(self.S, 2.0, out=self.hit, casting="unsafe")
        _rows_dot(self.hit, self.sign, out=self.hits[t])

    def finish(self, path, Xd):
        """Curves for ``path``: the last point (which no step saw) is computed,
        the part of the loss linear in w added, and any epoch past the safe
        logit range redone with the textbook formula."""
        y, m, epochs = self.y, len(self.y), len(path)
        # mean BCE = mean log(1 + exp(-z)) + mean (1 - y) z
        loss = self.sum_log_s[:epochs] / m + path @ ((1.0 - y) @ Xd / m)
        accuracy = (self.hits[:epochs] + (m - y.sum())) / m
        loss[-1], accuracy[-1] = evaluate_path(path[-1], Xd, y)
        unsafe = np.flatnonzero((_logit_bound(path, Xd) > _SAFE_LOGIT).any(axis=1))
        if unsafe.size:
            loss[unsafe], accuracy[unsafe] = evaluate_path(path[unsafe], Xd, y)
        return loss, accuracy


def _logit_bound(W, Xd):
    """An upper bound on |z| over the rows of Xd, for each weight vector
    (inf where the weights are too large to square)."""
    with np.errstate(over="ignore"):
        return np.linalg.norm(W, axis=-1) * np.sqrt((Xd * Xd).sum(axis=1).max())


def evaluate_path(path, Xd, y):
    """Loss and accuracy of many weight vectors, a chunk of them at a time.

    Parameters
    ----------
    path : ndarray of shape (..., n)
        Weight vectors, bias first; leading axes are kept.
    Xd : ndarray of shape (m, n)
    y : ndarray of shape (m,)

    Returns
    -------
    loss : ndarray of shape path.shape[:-1]
        Plain binary cross-entropy (no penalty term), p clamped as in
        `log_loss`.
    accuracy : ndarray of shape path.shape[:-1]
        Fraction of samples with ``(y_hat >= 0.5) == y``.
    """
    m = Xd.shape[0]
    y = np.asarray(y, dtype=float)
    weights = np.asarray(path).reshape(-1, Xd.shape[1])
    sign = 2.0 * y - 1.0
    minus_Xt = np.ascontiguousarray(-Xd.T)
    linear = weights @ ((1.0 - y) @ Xd / m)
    safe = _logit_bound(weights, Xd) <= _SAFE_LOGIT
    loss = np.empty(len(weights))
    accuracy = np.empty(len(weights))
    # Chunks keep each temporary near 8 MB: a whole 5,000-epoch path is 113 MB.
    step = max(1, _CHUNK_ELEMENTS // m)
    for start in range(0, len(weights), step):
        rows = slice(start, start + step)
        # Weights past all sense (a diverged run) overflow here; the caller
        # reports the divergence.
        with np.errstate(over="ignore", invalid="ignore"):
            S = _forward(weights[rows], minus_Xt, out=None)
            np.exp(S, out=S)
        S += 1.0
        hits = _rows_dot(np.less_equal(S, 2.0).astype(float), sign)
        accuracy[rows] = (hits + (m - y.sum())) / m
        if safe[rows].all():
            loss[rows] = np.log(S, out=S).mean(axis=1) + linear[rows]
        else:
            P = np.clip(np.reciprocal(S, out=S), EPS, 1.0 - EPS)
            loss[rows] = -(np.log(P) @ y + np.log(1.0 - P) @ (1.0 - y)) / m
    shape = np.shape(path)[:-1]
    return loss.reshape(shape), accuracy.reshape(shape)
