"""Reading a person's own CSV file: what is accepted, and what each error says."""

import json
from pathlib import Path

import numpy as np
import pytest

from ferrolearn.csvdata import (
    MAX_BYTES,
    MIN_ROWS,
    class_balance_warnings,
    inspect_csv,
    read_csv,
    shuffled,
)
from ferrolearn.datasets import DataError
from ferrolearn.selection import train_val_split

FIXTURES = Path(__file__).parent / "fixtures" / "csv"

# comma.csv and its variants in other dialects: length, width, colour, label.
LENGTH = [0.52, 0.35, 0.53, 0.44, 0.33, 0.43, 0.49, 0.36, 0.55, 0.47, 0.61, 0.39]
WIDTH = [0.41, 0.27, 0.42, 0.37, 0.26, 0.30, 0.38, 0.28, 0.44, 0.36, 0.48, 0.30]
LABEL = [1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0]
COLUMNS = "its columns are 'length', 'width', 'colour' and 'label'."


def raw(name):
    return (FIXTURES / name).read_bytes()


def read(name, target="label", **choices):
    return read_csv(raw(name), target, name=name, **choices)


def read_error(name, target="label", **choices):
    with pytest.raises(DataError) as caught:
        read(name, target, **choices)
    return str(caught.value)


def inspect_error(name):
    with pytest.raises(DataError) as caught:
        inspect_csv(raw(name), name=name)
    return str(caught.value)


# Good files


@pytest.mark.parametrize(
    "name, delimiter",
    [
        ("comma.csv", ","),
        ("semicolon.csv", ";"),
        ("tab.tsv", "\t"),
        ("bom.csv", ","),
        ("crlf.csv", ","),
    ],
)
def test_dialects_read_the_same_data(name, delimiter):
    data = read(name)
    assert data.X.dtype == np.float64 and data.y.dtype == np.float64
    np.testing.assert_array_equal(data.X, np.column_stack([LENGTH, WIDTH]))
    np.testing.assert_array_equal(data.y, LABEL)
    assert data.features == ("length", "width")
    assert data.target == "label"
    assert data.classes == {"positive": "yes", "negative": "no"}
    assert data.notes == ("not numeric, so not used as features: 'colour'",)

    preview = inspect_csv(raw(name), name=name)
    assert preview["delimiter"] == delimiter
    assert preview["columns"] == ["length", "width", "colour", "label"]


def test_text_bytes_and_memoryview_read_alike():
    text = raw("bom.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    for data in (text, memoryview(raw("bom.csv")), bytearray(raw("bom.csv"))):
        parsed = read_csv(data, "label")
        np.testing.assert_array_equal(parsed.X, np.column_stack([LENGTH, WIDTH]))
        assert parsed.features == ("length", "width")


def test_other_types_are_refused():
    with pytest.raises(TypeError, match="data must be bytes or str, not list."):
        read_csv(["length,label"], "label")


def test_quoted_fields_keep_delimiters_quotes_and_line_breaks():
    data = read("quoted.csv")
    assert data.features == ("length", "width, cm")
    np.testing.assert_array_equal(data.X, np.column_stack([LENGTH, WIDTH]))
    np.testing.assert_array_equal(data.y, LABEL)

    preview = inspect_csv(raw("quoted.csv"))
    assert preview["n_rows"] == 12
    assert [row[0] for row in preview["head"][:3]] == [
        "Smith, J.",
        'the "big" one',
        "two\nlines",
    ]


def test_line_numbers_count_file_lines_after_a_two_line_field():
    assert read_error("multiline_bad_cell.csv") == (
        "multiline_bad_cell.csv: line 6, column 'length' holds '?', which is not "
        "a number. Correct it, delete the row or leave 'length' out of the "
        "features."
    )


def test_semicolons_allow_unquoted_commas_in_values():
    data = read("semicolon_commas.csv")
    assert data.features == ("length", "width")
    assert inspect_csv(raw("semicolon_commas.csv"))["head"][0] == [
        "Smith, J.",
        "0.52",
        "0.41",
        "yes",
    ]


def test_rows_with_an_empty_target_are_dropped_and_counted():
    data = read("empty_target.csv")
    np.testing.assert_array_equal(data.X, np.column_stack([LENGTH, WIDTH]))
    np.testing.assert_array_equal(data.y, LABEL)
    assert data.notes[0] == "dropped 3 rows with an empty target (lines 5, 10 and 11)"
    assert inspect_csv(raw("empty_target.csv"))["targets"]["label"]["n_empty"] == 3


@pytest.mark.parametrize(
    "target, positive, negative",
    [
        ("zero_one", "1", "0"),
        ("yes_no", "Yes", "no"),
        ("true_false", "True", "false"),
        ("sex", "M", "F"),
        ("sign", "1", "-1"),
        ("two_ten", "10", "2"),
    ],
)
def test_default_positive_class(target, positive, negative):
    targets = inspect_csv(raw("targets.csv"))["targets"]
    assert targets[target]["default_positive"] == positive

    data = read("targets.csv", target)
    assert data.classes == {"positive": positive, "negative": negative}
    column = ["x", "zero_one", "yes_no", "true_false", "sex", "sign", "two_ten"]
    lines = (FIXTURES / "targets.csv").read_text().splitlines()[1:]
    cells = [line.split(",")[column.index(target)] for line in lines]
    np.testing.assert_array_equal(data.y, [cell == positive for cell in cells])


def test_default_features_are_the_numeric_columns_except_the_target():
    data = read("targets.csv", "zero_one")
    assert data.features == ("x", "sign", "two_ten")
    assert data.notes == (
        "not numeric, so not used as features: 'yes_no', 'true_false', 'sex' and "
        "'three'",
    )


def test_explicit_positive_class_of_a_three_valued_target():
    data = read("abalone_sample.csv", "sex", positive="M")
    sexes = [line[0] for line in (FIXTURES / "abalone_sample.csv")
             .read_text().splitlines()[1:]]
    np.testing.assert_array_equal(data.y, [sex == "M" for sex in sexes])
    assert data.classes == {"positive": "M", "negative": "not M"}
    assert data.X.shape == (14, 8)
    assert data.notes == (
        "target 'sex' has 3 values: 'M' is the positive class, 'F' and 'I' the "
        "negative class ('not M')",
    )


def test_explicit_positive_class_can_be_either_of_two():
    data = read("comma.csv", positive="no")
    np.testing.assert_array_equal(data.y, [1 - label for label in LABEL])
    assert data.classes == {"positive": "no", "negative": "yes"}


def test_chosen_features_in_the_order_given():
    data = read("comma.csv", features=["width", "length"])
    assert data.features == ("width", "length")
    np.testing.assert_array_equal(data.X, np.column_stack([WIDTH, LENGTH]))
    assert data.notes == ()


def test_names_asked_for_are_stripped_like_the_header():
    data = read("comma.csv", " label", features=["width ", " length"])
    assert data.target == "label"
    assert data.features == ("width", "length")
    with pytest.raises(TypeError, match="features must be a list of column names"):
        read("comma.csv", features="length")


def test_a_bad_cell_outside_the_chosen_features_does_not_matter():
    data = read("not_a_number.csv", features=["length"])
    np.testing.assert_array_equal(data.X[:, 0], LENGTH)


def test_a_constant_feature_is_kept_and_noted():
    data = read("constant.csv")
    assert data.features == ("length", "width", "batch")
    np.testing.assert_array_equal(data.X[:, 2], 3.0)
    # The study says so, for any data set (test_study_warns_of_a_constant_feature).
    assert data.notes == ()


def test_inspect_offers_targets_features_and_defaults():
    preview = inspect_csv(raw("comma.csv"), name="comma.csv")
    assert json.loads(json.dumps(preview)) == preview
    assert preview["numeric"] == ["length", "width"]
    assert preview["n_rows"] == 12
    assert preview["head"][0] == ["0.52", "0.41", "red", "yes"]
    assert len(preview["head"]) == 5
    assert preview["default_target"] == "label"
    assert preview["notes"] == []
    assert preview["targets"]["colour"] == {
        "values": ["blue", "green", "red"],
        "counts": [4, 3, 5],
        "n_values": 3,
        "n_empty": 0,
        "default_positive": None,
    }
    assert preview["targets"]["label"] == {
        "values": ["no", "yes"],
        "counts": [6, 6],
        "n_values": 2,
        "n_empty": 0,
        "default_positive": "yes",
    }
    # Numbers are listed in numeric order.
    assert preview["targets"]["length"]["values"][:3] == ["0.33", "0.35", "0.36"]
    assert preview["targets"]["width"]["n_values"] == 11


def test_inspect_lists_at_most_fifty_values_the_most_frequent():
    rows = "".join(f"v{i:02},{i}\n" for i in range(60)) + "v07,1\nv07,2\n"
    target = inspect_csv("name,x\n" + rows)["targets"]["name"]
    assert target["n_values"] == 60
    assert len(target["values"]) == 50
    assert target["values"][:2] == ["v00", "v01"]
    assert target["counts"][7] == 3


def test_inspect_default_target_prefers_two_values_then_text():
    assert inspect_csv(raw("targets.csv"))["default_target"] == "two_ten"
    assert inspect_csv(raw("abalone_sample.csv"))["default_target"] == "sex"
    assert inspect_csv(raw("one_class.csv"))["default_target"] == "colour"
    assert inspect_csv("x,y\n1,2\n3,4\n5,5\n")["default_target"] is None


@pytest.mark.parametrize(
    "name, note",
    [
        ("not_a_number.csv", "line 6, column 'width' holds 'abc', which is not a "
         "number; fix it before choosing 'width' as a feature"),
        ("empty_cell.csv", "line 9, column 'length' is empty; fix it before "
         "choosing 'length' as a feature"),
        ("decimal_commas.csv", "columns 'length' and 'width' seem to use decimal "
         "commas; save the file with decimal points to use them as features"),
    ],
)
def test_inspect_notes_problems_in_feature_columns(name, note):
    assert inspect_csv(raw(name))["notes"] == [note]


def test_inspect_counts_every_bad_cell_of_a_column():
    text = raw("nan_cell.csv").decode().replace("0.30", "")
    assert inspect_csv(text)["notes"] == [
        "line 4, column 'width' holds 'NaN', which is not a finite number (3 bad "
        "cells in all); fix them before choosing 'width' as a feature"
    ]


# Bad files: the whole file cannot be read, so inspect_csv and read_csv agree.

FILE_ERRORS = [
    ("empty.csv", "empty.csv is empty; choose a CSV file with a header row and "
     "data rows."),
    ("blank_lines.csv", "blank_lines.csv is empty; choose a CSV file with a header "
     "row and data rows."),
    ("header_only.csv", "header_only.csv has a header (line 1) but no data rows; "
     "add rows."),
    ("no_header.csv", "no_header.csv seems to have no header: 8 of the 9 fields on "
     "line 1 are numbers, not column names. Add a first row that names each "
     "column."),
    ("latin1.csv", "latin1.csv is not UTF-8 text: line 4 holds the byte 0xE9 (at "
     'byte offset 46). Save the file as UTF-8 (in Excel: "CSV UTF-8") and try '
     "again."),
    ("duplicate_columns.csv", "duplicate_columns.csv: the header (line 1) repeats "
     "'x' (columns 1 and 3) and 'y' (columns 2 and 5); give every column its own "
     "name."),
    ("unnamed_column.csv", "unnamed_column.csv: the header (line 1) has no name "
     "for column 1; give every column a name."),
    ("ragged.csv", "ragged.csv: line 5 has 5 fields but the header has 4 (2 lines "
     "differ in all). Give every line one field per column; a value that "
     "contains a comma must be in double quotes."),
    ("unclosed_quote.csv", "unclosed_quote.csv: line 4 opens a quoted field that "
     'is never closed; add the closing double quote (").'),
    ("bad_quote.csv", "bad_quote.csv: line 4 is not valid CSV (',' expected after "
     "'\"'). Check its quotes: a quote inside a quoted field is written twice "
     '("").'),
]


@pytest.mark.parametrize("name, message", FILE_ERRORS)
def test_file_errors(name, message):
    assert inspect_error(name) == message
    assert read_error(name) == message


def test_a_file_over_the_size_limit_is_refused():
    message = (
        "big.csv is larger than the limit of 20 MB (20,000,000 bytes); use a "
        "smaller file, with fewer rows or columns."
    )
    assert MAX_BYTES == 20_000_000
    for data in (b"a" * (MAX_BYTES + 1), "\u00e9" * (MAX_BYTES // 2 + 1)):
        with pytest.raises(DataError) as caught:
            inspect_csv(data, name="big.csv")
        assert str(caught.value) == message


def test_a_file_of_exactly_the_size_limit_is_read():
    data = b"a,b\n" + b"1," * ((MAX_BYTES - 4) // 2)
    assert len(data) == MAX_BYTES
    with pytest.raises(DataError) as caught:
        inspect_csv(data, name="big.csv")
    assert str(caught.value).startswith(
        "big.csv: line 2 has 9,999,999 fields but the header has 2."
    )


# Bad data or choices for read_csv

READ_ERRORS = [
    ("not_a_number.csv", {}, "not_a_number.csv: line 6, column 'width' holds "
     "'abc', which is not a number. Correct it, delete the row or leave 'width' "
     "out of the features."),
    ("empty_cell.csv", {}, "empty_cell.csv: line 9, column 'length' is empty. "
     "Fill it in, delete the row or leave 'length' out of the features; missing "
     "values are not guessed."),
    ("nan_cell.csv", {}, "nan_cell.csv: line 4, column 'width' holds 'NaN', which "
     "is not a finite number. Correct it, delete the row or leave 'width' out of "
     "the features."),
    ("infinite_cell.csv", {}, "infinite_cell.csv: line 11, column 'length' holds "
     "'-inf', which is not a finite number. Correct it, delete the row or leave "
     "'length' out of the features."),
    ("abalone_sample.csv", {"target": "sex"}, "abalone_sample.csv: the target "
     "'sex' has 3 values ('F', 'I' and 'M'); choose which one is the positive "
     "class, and every other value becomes the negative class."),
    ("comma.csv", {"positive": "Yes"}, "comma.csv: 'Yes' is not a value of the "
     "target 'label'; its values are 'no' and 'yes'."),
    ("one_class.csv", {}, "one_class.csv: the target 'label' has one value only, "
     "'yes'; choose a column with two classes, or add rows of the other class."),
    ("target_all_empty.csv", {}, "target_all_empty.csv: the target 'label' is "
     "empty in every row; choose a column with two classes."),
    ("too_few_rows.csv", {}, "too_few_rows.csv has 9 rows with a value in "
     "'label'; at least 10 are needed to train and validate a model, so add "
     "rows."),
    ("one_positive.csv", {}, "one_positive.csv has only 1 row of class 'yes' in "
     "'label'; at least 2 rows of each class are needed, so add rows of that "
     "class."),
    ("comma.csv", {"target": "lable"}, f"comma.csv has no column 'lable'; {COLUMNS}"),
    ("comma.csv", {"features": ["length", "height"]}, "comma.csv has no column "
     f"'height' to use as a feature; {COLUMNS}"),
    ("comma.csv", {"features": ["colour"]}, "comma.csv: column 'colour' is not "
     "numeric (line 2 holds 'red'), so it cannot be a feature."),
    ("comma.csv", {"features": ["length", "label"]}, "'label' is the target, so "
     "it cannot also be a feature."),
    ("comma.csv", {"features": []}, "No features chosen; choose at least one "
     "numeric column."),
    ("comma.csv", {"features": ["width", "length", "width"]}, "The features name "
     "'width' more than once; name each feature once."),
    ("empty_column.csv", {"features": ["remarks"]}, "empty_column.csv: column "
     "'remarks' is empty in every row, so it cannot be a feature."),
    ("text_only.csv", {}, "text_only.csv has no numeric column besides the target "
     "'label' to use as a feature."),
    ("decimal_commas.csv", {}, "decimal_commas.csv has no numeric column besides "
     "the target 'label' to use as a feature. Columns 'length' and 'width' seem "
     "to use decimal commas; save the file with decimal points to use them as "
     "features."),
    ("decimal_commas.csv", {"features": ["width"]}, "decimal_commas.csv: column "
     "'width' is not numeric (line 2 holds '0,41'), so it cannot be a feature. "
     "Column 'width' seems to use decimal commas; save the file with decimal "
     "points to use it as a feature."),
]


@pytest.mark.parametrize("name, choices, message", READ_ERRORS)
def test_read_errors(name, choices, message):
    assert read_error(name, **choices) == message


def test_the_row_minimum_counts_rows_with_a_target():
    assert MIN_ROWS == 10
    ten = b"\n".join(raw("comma.csv").splitlines()[: MIN_ROWS + 1])
    assert read_csv(ten, "label").X.shape == (10, 2)
    with pytest.raises(DataError, match="has 9 rows with a value in 'label'"):
        read_csv(raw("empty_target.csv").decode().replace(",yes", ",", 3), "label")


def test_the_first_bad_cell_in_file_order_is_named_with_the_count():
    text = raw("not_a_number.csv").decode().replace("0.43,", ",")
    with pytest.raises(DataError) as caught:
        read_csv(text, "label", name="two.csv")
    assert str(caught.value) == (
        "two.csv: line 6, column 'width' holds 'abc', which is not a number (the "
        "first of 2 bad cells). Correct it, delete the row or leave 'width' out "
        "of the features."
    )


def test_a_bad_cell_in_a_dropped_row_is_no_error():
    text = raw("not_a_number.csv").decode().replace("abc,blue,no", "abc,blue,")
    data = read_csv(text, "label")
    assert data.X.shape == (11, 2)
    assert data.notes[0] == "dropped 1 row with an empty target (line 6)"


# Splits of a file sorted by class, and shuffling


def test_a_file_sorted_by_class_is_warned_about():
    data = read("sorted.csv")
    train, _ = train_val_split(len(data.y))
    assert class_balance_warnings(data.y, train.stop, 5, data.classes) == [
        "the validation set (the last 8 rows) holds only the positive class "
        "'yes', so its loss and accuracy say little; if the rows are sorted by "
        "class, shuffle them.",
        "cross-validation folds 1, 2, 4 and 5 of 5 each validate on one class "
        "only, so their accuracies say little; if the rows are sorted by class, "
        "shuffle them.",
    ]
    mixed = shuffled(data, 0)
    assert class_balance_warnings(mixed.y, train.stop, 5, mixed.classes) == []


def test_one_class_training_sets_are_warned_about():
    y = [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    assert class_balance_warnings(y, n_train=4, folds=2) == [
        "cross-validation fold 2 of 2 validates on one class only, so its "
        "accuracy says little; if the rows are sorted by class, shuffle them.",
        "cross-validation fold 1 of 2 trains on one class only, so its model "
        "learns nothing; if the rows are sorted by class, shuffle them.",
    ]
    assert class_balance_warnings([0] * 8 + [1] * 2, n_train=8, folds=2) == [
        "the training set (the first 8 rows) holds only the negative class, so "
        "the model cannot learn to tell the classes apart; if the rows are "
        "sorted by class, shuffle them.",
        "the validation set (the last 2 rows) holds only the positive class, so "
        "its loss and accuracy say little; if the rows are sorted by class, "
        "shuffle them.",
        "cross-validation fold 1 of 2 validates on one class only, so its "
        "accuracy says little; if the rows are sorted by class, shuffle them.",
        "cross-validation fold 2 of 2 trains on one class only, so its model "
        "learns nothing; if the rows are sorted by class, shuffle them.",
    ]


@pytest.mark.parametrize(
    "y, n_train, message",
    [
        ([0, 1, 2], 2, "y must be a 1-D array of 0.0 and 1.0."),
        ([[0, 1]], 1, "y must be a 1-D array of 0.0 and 1.0."),
        ([0, 1, 0], 3, "n_train must be between 1 and 2, got 3."),
    ],
)
def test_class_balance_warnings_checks_its_arguments(y, n_train, message):
    with pytest.raises(ValueError) as caught:
        class_balance_warnings(y, n_train)
    assert str(caught.value) == message


def test_shuffling_is_seeded_and_keeps_rows_whole():
    data = read("sorted.csv")
    first, again, other = shuffled(data, 7), shuffled(data, 7), shuffled(data, 8)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)
    assert not np.array_equal(first.X, data.X)
    # In sorted.csv the class follows from x, so each row must still agree.
    np.testing.assert_array_equal(first.y, first.X[:, 0] >= 2.0)
    np.testing.assert_array_equal(np.sort(first.X[:, 0]), data.X[:, 0])
    assert first.notes == data.notes + ("rows shuffled with seed 7",)
    assert first.features == data.features and first.classes == data.classes


def test_a_one_column_file_says_what_separators_are_read():
    with pytest.raises(DataError) as caught:
        read_csv(b"a|b|label\n1|2|x\n", "label", name="pipes.csv")
    assert str(caught.value) == (
        "pipes.csv: line 1 holds one column only; a file needs a target and at "
        "least one feature, separated by commas, semicolons or tabs."
    )


def test_a_numeric_positive_class_matches_as_a_number():
    rows = "".join(f"{i},{float(i % 2)}\n" for i in range(12))
    data = read_csv(("x,y\n" + rows).encode(), "y", positive="1", name="f.csv")
    assert data.classes == {"positive": "1.0", "negative": "0.0"}
    assert data.y.tolist() == [float(i % 2) for i in range(12)]
