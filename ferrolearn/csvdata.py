"""A person's own CSV file as a binary classification data set.

The page (through the worker) and the CLI hand the file's raw bytes here.
`inspect_csv` previews a file so the person can choose the target column, its
positive class and the features; `read_csv` turns those choices into a
`Dataset`, or raises `DataError` with a message that says what is wrong, where
(file line and column name) and what to change.

A file is UTF-8 text, with or without a byte order mark, with LF, CRLF or CR
line ends, a header row naming every column, and fields separated by commas,
semicolons or tabs (sniffed). Nothing is guessed silently: a missing or
non-numeric value in a feature is an error, and rows dropped because their
target is empty are counted in the notes.

Limits: a file holds at most `MAX_BYTES` (20 MB), and at least `MIN_ROWS` (10)
rows with a target value, with `MIN_PER_CLASS` (2) or more of each class.
"""

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .datasets import DataError, Dataset, shuffled
from .selection import k_fold

__all__ = [
    "MAX_BYTES",
    "MIN_PER_CLASS",
    "MIN_ROWS",
    "class_balance_warnings",
    "inspect_csv",
    "read_csv",
    "shuffled",
]

MAX_BYTES = 20_000_000
MIN_ROWS = 10
MIN_PER_CLASS = 2
MAX_LISTED_VALUES = 50
HEAD_ROWS = 5

_DELIMITERS = ",;\t"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_BOM = b"\xef\xbb\xbf"
# The sniffer only needs the first lines, and it is slow on megabytes of text.
_SNIFF_CHARS = 65_536


@dataclass(frozen=True)
class _Table:
    """A parsed file: stripped cells by column, and where each row starts."""

    columns: tuple
    cells: tuple  # one tuple of str per column
    lines: tuple  # the file line on which each data row starts
    delimiter: str


def inspect_csv(data, name="file"):
    """Preview a CSV file so the person can choose a target and features.

    Parameters
    ----------
    data : bytes or str
        The file's contents (bytes as read from disk, or text).
    name : str, default "file"
        The file's name, used in error messages.

    Returns
    -------
    dict
        JSON-ready: ``columns`` (header names in file order), ``numeric``
        (the numeric columns, the default features), ``n_rows`` (data rows),
        ``delimiter``, ``head`` (the first data rows as text),
        ``default_target`` (a column to preselect, or None), ``targets`` and
        ``notes``. ``targets`` maps every column with two or more distinct
        values to ``values`` (up to 50 of them, most frequent, sorted),
        ``counts`` (rows holding each listed value), ``n_values``,
        ``n_empty`` (rows that would be dropped) and ``default_positive``
        (None when there are more than two values).

    Raises
    ------
    DataError
        When the file as a whole cannot be read: too large, not UTF-8, empty,
        no header row, unnamed or repeated columns, ragged rows, bad quotes.

    Examples
    --------
    >>> preview = inspect_csv("a,b,label\\n1,2,yes\\n3,4,no\\n")
    >>> preview["numeric"], preview["targets"]["label"]["default_positive"]
    (['a', 'b'], 'yes')
    """
    table = _parse(data, name)
    numeric = [c for c, cells in zip(table.columns, table.cells) if _is_numeric(cells)]

    targets = {}
    for column, cells in zip(table.columns, table.cells):
        counts = Counter(cell for cell in cells if cell)
        if len(counts) < 2:
            continue
        listed = _sorted_values(v for v, _ in counts.most_common(MAX_LISTED_VALUES))
        targets[column] = {
            "values": listed,
            "counts": [counts[v] for v in listed],
            "n_values": len(counts),
            "n_empty": len(cells) - counts.total(),
            "default_positive": _default_positive(list(counts)),
        }

    notes = []
    for column, cells in zip(table.columns, table.cells):
        if column in numeric:
            problems = _cell_problems(cells, range(len(cells)))
            if problems:
                row, _ = problems[0]
                where = _describe_cell(column, cells[row], table.lines[row])
                n = len(problems)
                also = f" ({n} bad cells in all)" if n > 1 else ""
                notes.append(
                    f"{where}{also}; fix {'them' if n > 1 else 'it'} before "
                    f"choosing {_q(column)} as a feature"
                )
    commas = _decimal_comma_note(table, [c for c in table.columns if c not in numeric])
    if commas:
        notes.append(commas)

    return {
        "columns": list(table.columns),
        "numeric": numeric,
        "n_rows": len(table.lines),
        "delimiter": table.delimiter,
        "head": [[cells[row] for cells in table.cells]
                 for row in range(min(HEAD_ROWS, len(table.lines)))],
        "default_target": _default_target(targets, numeric),
        "targets": targets,
        "notes": notes,
    }


def read_csv(data, target, positive=None, features=None, name="file"):
    """Read a CSV file into a data set: one target column against numeric features.

    Parameters
    ----------
    data : bytes or str
        The file's contents, at most `MAX_BYTES` (20 MB).
    target : str
        The column to predict. Rows where it is empty are dropped (and
        counted in the notes); at least `MIN_ROWS` (10) rows must remain,
        with at least `MIN_PER_CLASS` (2) of each class.
    positive : str, optional
        The target value coded 1; every other value is coded 0. Needed when
        the target has more than two values. By default, of two values:
        ``1`` for 0 and 1, ``yes`` or ``true`` (any case) for yes/no and
        true/false, otherwise the value that sorts last (numerically when
        both are numbers).
    features : list of str, optional
        The feature columns, in this order. By default every numeric column
        except the target, in file order. A column is numeric when most of
        its non-empty cells are finite numbers.
    name : str, default "file"
        The file's name, used in error messages.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        When the file or the choices do not make a data set; the message
        names the line and column where that applies.

    Examples
    --------
    >>> rows = "".join(f"{i},{i % 3},{'yes' if i % 2 else 'no'}\\n" for i in range(12))
    >>> data = read_csv("x,z,label\\n" + rows, "label")
    >>> data.X.shape, data.classes, data.y[:4].tolist()
    ((12, 2), {'positive': 'yes', 'negative': 'no'}, [0.0, 1.0, 0.0, 1.0])
    """
    table = _parse(data, name)
    # Header names are stripped of spaces, so the names asked for are too.
    target = str(target).strip()
    if isinstance(features, str):
        raise TypeError("features must be a list of column names, not a str.")
    if features is not None:
        features = [str(feature).strip() for feature in features]
    index = {column: i for i, column in enumerate(table.columns)}
    if target not in index:
        raise DataError(
            f"{name} has no column {_q(target)}; its columns are "
            f"{_listing(table.columns, 10)}."
        )
    target_cells = table.cells[index[target]]
    keep = [row for row, cell in enumerate(target_cells) if cell]
    counts = Counter(target_cells[row] for row in keep)
    pos, neg = _classes(name, target, counts, positive)

    notes = []
    dropped = [table.lines[row] for row, cell in enumerate(target_cells) if not cell]
    if dropped:
        lines = "lines" if len(dropped) > 1 else "line"
        notes.append(
            f"dropped {_plural(len(dropped), 'row')} with an empty target "
            f"({lines} {_listing(dropped, 5, quote=False)})"
        )
    if len(counts) > 2:
        others = _listing(_sorted_values(v for v in counts if v != pos), 5)
        notes.append(
            f"target {_q(target)} has {len(counts)} values: {_q(pos)} is the "
            f"positive class, {others} the negative class ({_q(neg)})"
        )

    if len(keep) < MIN_ROWS:
        raise DataError(
            f"{name} has {_plural(len(keep), 'row')} with a value in "
            f"{_q(target)}; at least {MIN_ROWS} are needed to train and validate "
            "a model, so add rows."
        )
    n_pos = counts[pos]
    for label, n in ((pos, n_pos), (neg, len(keep) - n_pos)):
        if n < MIN_PER_CLASS:
            raise DataError(
                f"{name} has only {_plural(n, 'row')} of class {_q(label)} in "
                f"{_q(target)}; at least {MIN_PER_CLASS} rows of each class are "
                "needed, so add rows of that class."
            )

    chosen, skipped = _features(table, name, target, features)
    if skipped:
        notes.append(f"not numeric, so not used as features: {_listing(skipped, 10)}")
        commas = _decimal_comma_note(table, skipped)
        if commas:
            notes.append(commas)

    X = np.empty((len(keep), len(chosen)))
    first_problem = None
    n_problems = 0
    for j, column in enumerate(chosen):
        cells = table.cells[index[column]]
        problems = _cell_problems(cells, keep)
        if problems:
            n_problems += len(problems)
            if first_problem is None or problems[0][0] < first_problem[0]:
                first_problem = (problems[0][0], column)
            continue
        X[:, j] = [float(cells[row]) for row in keep]
    if first_problem is not None:
        row, column = first_problem
        raise DataError(
            _cell_error(name, column, table.cells[index[column]][row],
                        table.lines[row], n_problems)
        )

    y = np.array([float(target_cells[row] == pos) for row in keep])
    return Dataset(
        X=X,
        y=y,
        features=tuple(chosen),
        target=target,
        classes={"positive": pos, "negative": neg},
        notes=tuple(notes),
    )


def class_balance_warnings(y, n_train, folds=5, classes=None):
    """Warn when a contiguous split leaves a set with one class only.

    The training set is the first `n_train` rows and the validation set the
    rest; cross-validation folds are contiguous blocks of floor(m / folds)
    rows of all m rows. A file sorted by class leaves some of these with a
    single class, which makes their losses and accuracies meaningless.

    Parameters
    ----------
    y : array_like of shape (m,)
        0.0/1.0 targets in the order the splits take them.
    n_train : int
        Rows in the training set, 0 < n_train < m.
    folds : int, default 5
        Cross-validation folds.
    classes : dict, optional
        ``{"positive": name, "negative": name}``, to name the classes.

    Returns
    -------
    list of str
        One sentence per problem; empty when every set holds both classes.

    Examples
    --------
    >>> class_balance_warnings([0, 1] * 5, n_train=8)
    []
    >>> import textwrap
    >>> for warning in class_balance_warnings([0] * 5 + [1] * 5, n_train=8):
    ...     print(textwrap.fill(warning, 72))
    the validation set (the last 2 rows) holds only the positive class, so
    its loss and accuracy say little; if the rows are sorted by class,
    shuffle them.
    cross-validation folds 1, 2, 4 and 5 of 5 each validate on one class
    only, so their accuracies say little; if the rows are sorted by class,
    shuffle them.
    """
    y = np.asarray(y, dtype=float)
    m = len(y)
    if y.ndim != 1 or not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must be a 1-D array of 0.0 and 1.0.")
    if not 0 < n_train < m:
        raise ValueError(f"n_train must be between 1 and {m - 1}, got {n_train!r}.")

    def only(rows):
        values = np.unique(y[rows])
        if len(values) != 1:
            return None
        kind = "positive" if values[0] == 1.0 else "negative"
        label = f" {_q(classes[kind])}" if classes else ""
        return f"the {kind} class{label}"

    advice = "if the rows are sorted by class, shuffle them."
    warnings = []
    train_class = only(slice(0, n_train))
    if train_class:
        warnings.append(
            f"the training set (the first {n_train} rows) holds only {train_class}, "
            f"so the model cannot learn to tell the classes apart; {advice}"
        )
    val_class = only(slice(n_train, m))
    if val_class:
        warnings.append(
            f"the validation set (the last {m - n_train} rows) holds only "
            f"{val_class}, so its loss and accuracy say little; {advice}"
        )

    splits = k_fold(m, folds)
    one_class_val = [i + 1 for i, (_, val) in enumerate(splits) if only(val)]
    one_class_train = [i + 1 for i, (train, _) in enumerate(splits) if only(train)]
    if one_class_val:
        many = len(one_class_val) > 1
        warnings.append(
            f"cross-validation {_folds(one_class_val, folds)} "
            f"{'each validate' if many else 'validates'} on one class only, so "
            f"{'their accuracies say' if many else 'its accuracy says'} little; "
            f"{advice}"
        )
    if one_class_train:
        many = len(one_class_train) > 1
        warnings.append(
            f"cross-validation {_folds(one_class_train, folds)} "
            f"{'each train' if many else 'trains'} on one class only, so "
            f"{'their models learn' if many else 'its model learns'} nothing; "
            f"{advice}"
        )
    return warnings


def _folds(numbers, k):
    word = "fold" if len(numbers) == 1 else "folds"
    return f"{word} {_listing(numbers, k, quote=False)} of {k}"


def _parse(data, name):
    text = _decode(data, name)
    if not text.strip():
        raise DataError(
            f"{name} is empty; choose a CSV file with a header row and data rows."
        )
    delimiter = _sniff_delimiter(text)

    records, lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        strict=True)
    last = 0
    try:
        for row in reader:
            # A quoted field can span lines, so a row starts after the last one.
            start, last = last + 1, reader.line_num
            if len(row) == 0 or (len(row) == 1 and not row[0].strip()):
                continue
            records.append(tuple(cell.strip() for cell in row))
            lines.append(start)
    except csv.Error as error:
        if str(error) == "unexpected end of data":
            raise DataError(
                f"{name}: line {last + 1} opens a quoted field that is never "
                'closed; add the closing double quote (").'
            ) from None
        raise DataError(
            f"{name}: line {last + 1} is not valid CSV ({error}). Check its "
            'quotes: a quote inside a quoted field is written twice ("").'
        ) from None

    header, header_line = records[0], lines[0]
    _check_header(header, header_line, name)
    if len(records) == 1:
        raise DataError(
            f"{name} has a header (line {header_line}) but no data rows; add rows."
        )
    ragged = [(line, len(row)) for line, row in zip(lines[1:], records[1:])
              if len(row) != len(header)]
    if ragged:
        line, n = ragged[0]
        also = f" ({len(ragged)} lines differ in all)" if len(ragged) > 1 else ""
        raise DataError(
            f"{name}: line {line} has {_plural(n, 'field')} but the header has "
            f"{len(header)}{also}. Give every line one field per column; a value "
            f"that contains a {_DELIMITER_NAMES[delimiter]} must be in double "
            "quotes."
        )
    return _Table(
        columns=header,
        cells=tuple(zip(*records[1:])),
        lines=tuple(lines[1:]),
        delimiter=delimiter,
    )


def _decode(data, name):
    if isinstance(data, str):
        size = len(data.encode("utf-8", errors="surrogatepass"))
    elif isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        size = len(data)
    else:
        raise TypeError(f"data must be bytes or str, not {type(data).__name__}.")
    # Callers may read only MAX_BYTES + 1 bytes, so the true size is unknown.
    if size > MAX_BYTES:
        raise DataError(
            f"{name} is larger than the limit of 20 MB ({MAX_BYTES:,} bytes); "
            "use a smaller file, with fewer rows or columns."
        )
    if isinstance(data, str):
        return data.removeprefix("\ufeff")

    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skip + error.start
        # Whatever follows the last line break before the byte is its line.
        line = len((data[:offset] + b"x").splitlines())
        raise DataError(
            f"{name} is not UTF-8 text: line {line} holds the byte "
            f"0x{data[offset]:02X} (at byte offset {offset:,}). Save the file "
            'as UTF-8 (in Excel: "CSV UTF-8") and try again.'
        ) from None


def _sniff_delimiter(text):
    sample = text[:_SNIFF_CHARS]
    if len(text) > len(sample):
        # A line cut in half would look like a ragged row to the sniffer.
        sample = sample[: max(sample.rfind("\n"), sample.rfind("\r")) + 1] or sample
    first = next((line for line in io.StringIO(sample, newline="") if line.strip()), "")
    fields = {d: len(next(csv.reader([first], delimiter=d))) for d in _DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    # The sniffer can be misled by quoted values; the header must agree with it.
    if sniffed in fields and (fields[sniffed] > 1 or max(fields.values()) == 1):
        return sniffed
    return max(_DELIMITERS, key=fields.get)


def _check_header(header, line, name):
    if len(header) < 2:
        raise DataError(
            f"{name}: line {line} holds one column only; a file needs a target "
            "and at least one feature, separated by commas, semicolons or tabs."
        )
    numbers = sum(_number(cell) is not None for cell in header)
    if numbers * 2 > len(header):
        raise DataError(
            f"{name} seems to have no header: {numbers} of the {len(header)} "
            f"fields on line {line} are numbers, not column names. Add a first "
            "row that names each column."
        )
    unnamed = [i + 1 for i, cell in enumerate(header) if not cell]
    if unnamed:
        raise DataError(
            f"{name}: the header (line {line}) has no name for "
            f"column{'s' if len(unnamed) > 1 else ''} "
            f"{_listing(unnamed, 10, quote=False)}; give every column a name."
        )
    positions = {}
    for i, cell in enumerate(header):
        positions.setdefault(cell, []).append(i + 1)
    repeated = [
        f"{_q(cell)} (columns {_listing(where, 10, quote=False)})"
        for cell, where in positions.items()
        if len(where) > 1
    ]
    if repeated:
        raise DataError(
            f"{name}: the header (line {line}) repeats "
            f"{_listing(repeated, 10, quote=False)}; give every column its own "
            "name."
        )


def _classes(name, target, counts, positive):
    """The positive and negative class names, checked against the values."""
    values = _sorted_values(counts)
    if not values:
        raise DataError(
            f"{name}: the target {_q(target)} is empty in every row; choose a "
            "column with two classes."
        )
    if len(values) == 1:
        raise DataError(
            f"{name}: the target {_q(target)} has one value only, "
            f"{_q(values[0])}; choose a column with two classes, or add rows of "
            "the other class."
        )
    if positive is None:
        positive = _default_positive(values)
        if positive is None:
            raise DataError(
                f"{name}: the target {_q(target)} has {len(values)} values "
                f"({_listing(values, 5)}); choose which one is the positive "
                "class, and every other value becomes the negative class."
            )
    else:
        positive = _as_written(str(positive).strip(), values)
        if positive not in counts:
            raise DataError(
                f"{name}: {_q(positive)} is not a value of the target "
                f"{_q(target)}; its values are {_listing(values, 10)}."
            )
    if len(values) == 2:
        return positive, next(v for v in values if v != positive)
    return positive, f"not {positive}"


def _as_written(positive, values):
    """The value as the file spells it: "1" names the class written "1.0"."""
    number = _number(positive)
    if positive in values or number is None:
        return positive
    same = [value for value in values if _number(value) == number]
    return same[0] if len(same) == 1 else positive


def _features(table, name, target, features):
    """The feature columns chosen, and the non-numeric ones left out by default."""
    index = {column: i for i, column in enumerate(table.columns)}
    numeric = {c: _is_numeric(cells) for c, cells in zip(table.columns, table.cells)}
    if features is None:
        others = [c for c in table.columns if c != target]
        chosen = [c for c in others if numeric[c]]
        skipped = [c for c in others if not numeric[c]]
        if not chosen:
            hint = _decimal_comma_note(table, skipped)
            hint = f" {hint[0].upper()}{hint[1:]}." if hint else ""
            raise DataError(
                f"{name} has no numeric column besides the target {_q(target)} "
                f"to use as a feature.{hint}"
            )
        return chosen, skipped

    chosen = list(features)
    if not chosen:
        raise DataError("No features chosen; choose at least one numeric column.")
    repeated = sorted({c for c in chosen if chosen.count(c) > 1})
    if repeated:
        raise DataError(
            f"The features name {_listing(repeated, 10)} more than once; name "
            "each feature once."
        )
    for column in chosen:
        if column == target:
            raise DataError(
                f"{_q(column)} is the target, so it cannot also be a feature."
            )
        if column not in index:
            raise DataError(
                f"{name} has no column {_q(column)} to use as a feature; its "
                f"columns are {_listing(table.columns, 10)}."
            )
        if not numeric[column]:
            cells = table.cells[index[column]]
            row = next((r for r, cell in enumerate(cells) if cell and not
                        _is_finite_number(cell)), None)
            if row is None:
                raise DataError(
                    f"{name}: column {_q(column)} is empty in every row, so it "
                    "cannot be a feature."
                )
            hint = _decimal_comma_note(table, [column])
            hint = f" {hint[0].upper()}{hint[1:]}." if hint else ""
            raise DataError(
                f"{name}: column {_q(column)} is not numeric (line "
                f"{table.lines[row]} holds {_q(cells[row])}), so it cannot be a "
                f"feature.{hint}"
            )
    return chosen, []


def _cell_problems(cells, rows):
    """(row, cell) for each cell among `rows` that is not a finite number."""
    return [(row, cells[row]) for row in rows if not _is_finite_number(cells[row])]


def _describe_cell(column, cell, line):
    where = f"line {line}, column {_q(column)}"
    if not cell:
        return f"{where} is empty"
    if _number(cell) is None:
        return f"{where} holds {_q(cell)}, which is not a number"
    return f"{where} holds {_q(cell)}, which is not a finite number"


def _cell_error(name, column, cell, line, n_problems):
    also = f" (the first of {n_problems} bad cells)" if n_problems > 1 else ""
    if not cell:
        fix = "Fill it in"
        why = "; missing values are not guessed"
    else:
        fix, why = "Correct it", ""
    return (
        f"{name}: {_describe_cell(column, cell, line)}{also}. {fix}, delete the "
        f"row or leave {_q(column)} out of the features{why}."
    )


def _number(cell):
    """The cell's value as a float (NaN and infinities included), or None."""
    # float() takes "1_000", which no spreadsheet writes: treat it as text.
    if not cell or "_" in cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def _is_finite_number(cell):
    value = _number(cell)
    return value is not None and math.isfinite(value)


def _is_numeric(cells):
    filled = [cell for cell in cells if cell]
    return 2 * sum(map(_is_finite_number, filled)) > len(filled)


def _uses_decimal_commas(cells):
    if not any("," in cell for cell in cells):
        return False
    return _is_numeric([cell.replace(",", ".", 1) for cell in cells])


def _decimal_comma_note(table, columns):
    """A note naming those of `columns` written with decimal commas, or None."""
    cells = dict(zip(table.columns, table.cells))
    found = [column for column in columns if _uses_decimal_commas(cells[column])]
    if not found:
        return None
    if len(found) == 1:
        return (
            f"column {_q(found[0])} seems to use decimal commas; save the file "
            "with decimal points to use it as a feature"
        )
    return (
        f"columns {_listing(found, 10)} seem to use decimal commas; save the "
        "file with decimal points to use them as features"
    )


def _default_positive(values):
    """The default positive class of two values, or None for more than two."""
    if len(values) != 2:
        return None
    numbers = [_number(v) for v in values]
    if set(numbers) == {0.0, 1.0}:
        return values[numbers.index(1.0)]
    lowered = {v.lower(): v for v in values}
    for yes, no in (("yes", "no"), ("true", "false")):
        if set(lowered) == {yes, no}:
            return lowered[yes]
    return _sorted_values(values)[-1]


def _sorted_values(values):
    """Numbers in numeric order when every value is one, else text order."""
    values = list(values)
    if all(_is_finite_number(v) for v in values):
        return sorted(values, key=float)
    return sorted(values)


def _default_target(targets, numeric):
    """The last two-valued column, else the last text column with few values."""
    two = [c for c, t in targets.items() if t["n_values"] == 2]
    if two:
        return two[-1]
    few = [c for c, t in targets.items()
           if c not in numeric and t["n_values"] <= MAX_LISTED_VALUES]
    return few[-1] if few else None


def _q(text, limit=40):
    """A name or value quoted for a message: one line, at most `limit` chars."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _listing(items, limit, quote=True):
    """'a', 'b' and 'c'; beyond `limit` items, 'a', 'b' and 3 more."""
    items = [_q(str(i)) if quote else str(i) for i in items]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")
