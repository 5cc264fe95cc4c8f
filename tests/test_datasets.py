"""The abalone loader: the article's rows, and errors that name the line."""

import hashlib

import numpy as np
import pytest

from ferrolearn import DataError, load_abalone
from ferrolearn.datasets import abalone_path, parse_abalone, shuffled

GOOD = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15"


def test_bundled_file_is_the_uci_file():
    digest = hashlib.sha256(abalone_path().read_bytes()).hexdigest()
    assert digest == (
        "de37cdcdcaaa50c309d514f248f7c2302a5f1f88c168905eba23fe2fbc78449f"
    )


def test_adults_male_vs_female():
    data = load_abalone()
    assert data.X.shape == (2835, 8)
    assert int(data.y.sum()) == 1528
    assert data.features[4] == "shucked_weight" and data.features[-1] == "rings"
    first = [float(v) for v in GOOD.split(",")[1:]]
    assert data.X[0].tolist() == first and data.y[0] == 1.0
    assert data.notes == ("dropped 1342 infants (sex I)",)


@pytest.mark.parametrize("line, message", [
    ("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15",
     "bad.data line 2: expected 9 comma-separated fields, found 8."),
    ("X,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15",
     "bad.data line 2: unknown sex 'X'; expected M, F or I."),
    ("F,0.455,abc,0.095,0.514,0.2245,0.101,0.15,15",
     "bad.data line 2: diameter is 'abc', which is not a number."),
    ("F,0.455,0.365,nan,0.514,0.2245,0.101,0.15,15",
     "bad.data line 2: height is nan; it must be finite."),
    ("F,0.455,0.365,0.095,inf,0.2245,0.101,0.15,15",
     "bad.data line 2: whole_weight is inf; it must be finite."),
    ("F,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15.5",
     "bad.data line 2: rings is 15.5; it must be an integer."),
])
def test_malformed_rows_name_their_line(tmp_path, line, message):
    path = tmp_path / "bad.data"
    path.write_text(f"{GOOD}\n{line}\n{GOOD}\n")
    with pytest.raises(DataError) as error:
        load_abalone(path)
    assert str(error.value) == message


def test_empty_file_is_an_error():
    with pytest.raises(DataError, match="holds no data rows"):
        parse_abalone("\n\n", "empty.data")


def test_shuffle_is_seeded_and_keeps_rows_together():
    data = load_abalone()
    a, b = shuffled(data, 7), shuffled(data, 7)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.y, data.y)
    original = {tuple(row) + (label,) for row, label in zip(data.X, data.y)}
    assert {tuple(row) + (label,) for row, label in zip(a.X, a.y)} == original
