"""ferrolearn: logistic regression by gradient descent, as the article does it."""

from .datasets import DataError, Dataset, load_abalone
from .descent import log_loss, sigmoid
from .model import DivergenceError, LogisticRegression, Standardizer
from .selection import grid_search, k_fold, lam_grid, train_val_split

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "Dataset",
    "DivergenceError",
    "LogisticRegression",
    "Standardizer",
    "grid_search",
    "k_fold",
    "lam_grid",
    "load_abalone",
    "log_loss",
    "sigmoid",
    "train_val_split",
]
