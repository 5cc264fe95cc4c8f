"""Naive baselines, written here so they do not move when the library changes.

Plain per-model gradient descent with numpy: one model at a time, no batching,
no preallocated buffers. The browser benchmark runs this same file in Pyodide.
"""

import numpy as np


def standardized_design(X_fit, X):
    mean, std = X_fit.mean(axis=0), X_fit.std(axis=0)
    return np.hstack([np.ones((len(X), 1)), (X - mean) / std])


def descend(Xd, y, lam, alpha, epochs):
    m = len(y)
    w = np.zeros(Xd.shape[1])
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-(Xd @ w)))
        g = Xd.T @ (p - y) / m
        g[1:] += lam / m * w[1:]
        w = w - alpha * g
    return w


def search(X, y, lams, folds=5, alpha=0.01, epochs=5000):
    """Mean CV accuracy per lambda, one model per (lambda, fold)."""
    size = len(y) // folds
    rows = np.arange(len(y))
    correct = np.zeros(len(lams))
    for f in range(folds):
        val = rows[f * size : (f + 1) * size]
        train = np.setdiff1d(rows, val)
        Xd = standardized_design(X[train], X[train])
        Xv = standardized_design(X[train], X[val])
        for j, lam in enumerate(lams):
            w = descend(Xd, y[train], lam, alpha, epochs)
            correct[j] += np.sum((1.0 / (1.0 + np.exp(-(Xv @ w))) >= 0.5) == y[val])
    return correct / (size * folds)


def log_loss(y, p):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def train_with_history(X, y, X_val, y_val, lam=0.01, alpha=0.01, epochs=5000):
    """One L2 model with loss and accuracy computed at every epoch."""
    Xd = standardized_design(X, X)
    Xv = standardized_design(X, X_val)
    m = len(y)
    w = np.zeros(Xd.shape[1])
    history = {"loss_train": [], "loss_val": [], "acc_train": [], "acc_val": []}
    for t in range(epochs + 1):
        p = 1.0 / (1.0 + np.exp(-(Xd @ w)))
        pv = 1.0 / (1.0 + np.exp(-(Xv @ w)))
        history["loss_train"].append(log_loss(y, p))
        history["loss_val"].append(log_loss(y_val, pv))
        history["acc_train"].append(np.mean((p >= 0.5) == y))
        history["acc_val"].append(np.mean((pv >= 0.5) == y_val))
        if t == epochs:
            break
        g = Xd.T @ (p - y) / m
        g[1:] += lam / m * w[1:]
        w = w - alpha * g
    return w, history
