"""Full-batch gradient descent for logistic regression, many models at once.

Every model trained here shares one design matrix; column j of the weight
matrix is the model for penalty strength ``lams[j]``. One epoch is then a few
large numpy operations on preallocated buffers, whatever the number of models.
"""

import numpy as np

EPS = 1e-15
PENALTIES = ("none", "l1", "l2")
_CHUNK_EPOCHS = 250
_CHUNK_ELEMENTS = 1 << 20


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


def descend(Xd, y, lams, learning_rate, epochs, penalty, record=False,
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
    record : bool
        Keep the weights after every epoch (the weight path).
    progress : callable, optional
        Called as ``progress(epochs_done)`` every few hundred epochs.

    Returns
    -------
    W : ndarray of shape (n, len(lams))
        Weights after the last epoch run, bias in row 0.
    path : ndarray of shape (epochs_run + 1, n, len(lams)) or None
        ``path[t]`` holds the weights after t epochs; ``path[0]`` is all zeros.
    epochs_run : int
        ``epochs``, or fewer when a weight stopped being finite.

    Examples
    --------
    >>> Xd = design(np.array([[-1.0], [1.0]]))
    >>> W, _, _ = descend(Xd, np.array([0.0, 1.0]), [0.0], 0.1, 1, "none")
    >>> W[:, 0]
    array([0.  , 0.05])
    """
    m, n = Xd.shape
    Xt = Xd.T
    Y = np.asarray(y, dtype=float)[:, None]
    shrink = (np.asarray(lams, dtype=float) / m)[None, :]
    W = np.zeros((n, shrink.shape[1]))
    Z = np.empty((m, W.shape[1]))
    G = np.empty_like(W)
    R = np.empty((n - 1, W.shape[1]))
    path = np.empty((epochs + 1,) + W.shape) if record else None
    if record:
        path[0] = W

    done = 0
    # Non-finite weights are detected below and reported, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        while done < epochs:
            stop = min(epochs, done + _CHUNK_EPOCHS)
            for t in range(done, stop):
                # y_hat = sigma(X w); gradient (1/m) X^T (y_hat - y)
                sigmoid(np.matmul(Xd, W, out=Z), out=Z)
                Z -= Y
                np.matmul(Xt, Z, out=G)
                G /= m
                if penalty == "l2":
                    G[1:] += np.multiply(W[1:], shrink, out=R)
                elif penalty == "l1":
                    np.sign(W[1:], out=R)
                    G[1:] += np.multiply(R, shrink, out=R)
                G *= learning_rate
                W -= G
                if record:
                    path[t + 1] = W
            if not np.isfinite(W).all():
                last = _last_finite_epoch(path, done, stop) if record else done
                return W, path[: last + 1] if record else None, last
            done = stop
            if progress is not None:
                progress(done)
    return W, path, epochs


def _last_finite_epoch(path, start, stop):
    finite = np.isfinite(path[start : stop + 1]).all(axis=(1, 2))
    return start + int(np.argmin(finite)) - 1


def evaluate_path(path, Xd, y):
    """Loss and accuracy of every model on a weight path, in a few passes.

    Parameters
    ----------
    path : ndarray of shape (T, n)
        One weight vector per row.
    Xd : ndarray of shape (m, n)
    y : ndarray of shape (m,)

    Returns
    -------
    loss : ndarray of shape (T,)
        Plain binary cross-entropy (no penalty term).
    accuracy : ndarray of shape (T,)
        Fraction of samples with ``(y_hat >= 0.5) == y``.
    """
    m = Xd.shape[0]
    y = np.asarray(y, dtype=float)
    sign = 2.0 * y - 1.0
    negatives = m - y.sum()
    loss = np.empty(path.shape[0])
    accuracy = np.empty(path.shape[0])
    # Chunks keep each temporary near 8 MB: a whole 5,000-epoch path is 113 MB.
    step = max(1, _CHUNK_ELEMENTS // m)
    for start in range(0, path.shape[0], step):
        rows = slice(start, start + step)
        P = sigmoid(Xd @ path[rows].T)
        # A prediction is right when y_hat >= 0.5 for y = 1, or below for y = 0.
        accuracy[rows] = (negatives + sign @ (P >= 0.5)) / m
        np.clip(P, EPS, 1.0 - EPS, out=P)
        Q = np.log(1.0 - P)
        np.log(P, out=P)
        loss[rows] = -(y @ P + (1.0 - y) @ Q) / m
    return loss, accuracy
