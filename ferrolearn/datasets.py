"""Data sets as the method sees them: a feature matrix and a 0/1 target.

The abalone loader reads the UCI file exactly: a malformed row is an error that
names its line, never a row silently skipped.
"""

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ABALONE_FEATURES = (
    "length",
    "diameter",
    "height",
    "whole_weight",
    "shucked_weight",
    "viscera_weight",
    "shell_weight",
    "rings",
)
_SEXES = ("M", "F", "I")


class DataError(ValueError):
    """Input data the user must fix; the message says what to change."""


@dataclass(frozen=True)
class Dataset:
    """A binary classification data set.

    Parameters
    ----------
    X : ndarray of shape (m, d)
        Finite feature values, one row per sample.
    y : ndarray of shape (m,)
        1.0 for the positive class, 0.0 for the negative class.
    features : tuple of str
        Column names of ``X``.
    target : str
        Name of the predicted column.
    classes : dict
        ``{"positive": name, "negative": name}``.
    notes : tuple of str
        What the person should know about how the file was read.
    """

    X: np.ndarray
    y: np.ndarray
    features: tuple
    target: str
    classes: dict
    notes: tuple = ()


def abalone_path():
    """Where the bundled abalone file is: in the wheel, or in a checkout."""
    bundled = Path(__file__).parent / "data" / "abalone.data"
    if bundled.exists():
        return bundled
    return Path(__file__).parent.parent / "data" / "abalone.data"


def parse_abalone(text, name="abalone.data"):
    """Parse the 9-column UCI abalone format.

    Parameters
    ----------
    text : str
        The file's contents: sex (M, F or I), seven measurements, integer rings.
    name : str
        File name used in error messages.

    Returns
    -------
    sex : list of str
    values : ndarray of shape (n, 8)

    Examples
    --------
    >>> sex, values = parse_abalone("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15\\n")
    >>> sex, values.shape
    (['M'], (1, 8))
    """
    sexes, rows = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.strip().split(",")
        where = f"{name} line {number}"
        if len(fields) != 9:
            raise DataError(
                f"{where}: expected 9 comma-separated fields, found {len(fields)}."
            )
        sex = fields[0].strip()
        if sex not in _SEXES:
            raise DataError(f"{where}: unknown sex {sex!r}; expected M, F or I.")
        rows.append([_measurement(field, where, column)
                     for field, column in zip(fields[1:], ABALONE_FEATURES)])
        sexes.append(sex)
    if not rows:
        raise DataError(f"{name} holds no data rows.")
    return sexes, np.array(rows)


def _measurement(field, where, column):
    try:
        value = float(field)
    except ValueError:
        raise DataError(
            f"{where}: {column} is {field.strip()!r}, which is not a number."
        ) from None
    if not math.isfinite(value):
        raise DataError(f"{where}: {column} is {field.strip()}; it must be finite.")
    if column == "rings" and not value.is_integer():
        raise DataError(f"{where}: rings is {field.strip()}; it must be an integer.")
    return value


def load_abalone(path=None):
    """The article's task: adults only, male (1) against female (0).

    Parameters
    ----------
    path : str or Path, optional
        A file in the UCI format; the bundled copy by default.

    Returns
    -------
    Dataset
        2,835 rows and the 8 features in the UCI order for the bundled file.

    Examples
    --------
    >>> data = load_abalone()
    >>> data.X.shape, int(data.y.sum())
    ((2835, 8), 1528)
    """
    path = Path(path) if path is not None else abalone_path()
    sexes, values = parse_abalone(path.read_text(encoding="utf-8"), path.name)
    sex = np.array(sexes)
    adult = sex != "I"
    infants = int((~adult).sum())
    return Dataset(
        X=values[adult],
        y=(sex[adult] == "M").astype(float),
        features=ABALONE_FEATURES,
        target="sex",
        classes={"positive": "M", "negative": "F"},
        notes=(f"dropped {infants} infants (sex I)",),
    )


def shuffled(data, seed):
    """The same data set with its rows in a seeded random order.

    Contiguous splits of a file sorted by class can leave a fold with one
    class; shuffling first mixes them, reproducibly.

    Examples
    --------
    >>> data = load_abalone()
    >>> bool((shuffled(data, 0).y == shuffled(data, 0).y).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the shuffle seed must be a whole number >= 0, got {seed!r}.")
    order = np.random.default_rng(seed).permutation(len(data.y))
    return replace(
        data,
        X=data.X[order],
        y=data.y[order],
        notes=data.notes + (f"rows shuffled with seed {seed}",),
    )
