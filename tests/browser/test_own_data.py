"""The person's own CSV file on the page: chooser, choices, training, errors.

Tests that train need the local Pyodide copy and skip, saying so, without
it; expected numbers come from ferrolearn run here in CPython on the same
file with the same choices. The others run on the site without a runtime.
"""

import html
import json
import shutil
import subprocess
import time

import pytest

import ferrolearn.csvdata
import ferrolearn.study
from browser_support import (
    DEFAULT_HASH, LOAD_MS, ROOT, STATE, assert_matches_train, chart_traces,
    data_value, page_weights, run, wait_for_state,
)

pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures" / "csv"
DATASET_CONTROLS = ("dataset", "dataset-file", "target", "positive-class",
                    "features", "shuffle", "shuffle-seed")
SEARCH_HASH = "#alpha=0.1&cv-epochs=300&grid-steps=4"
SEARCH_PARAMS = {"alpha": 0.1, "cv_epochs": 300, "steps": 4}
READ_MS = 60_000


def raw(name):
    return (FIXTURES / name).read_bytes()


def upload(page, path):
    """Choose a file in #dataset-file; return the chooser's error, or None."""
    page.set_input_files("#dataset-file", str(path))
    page.wait_for_function(
        "!document.getElementById('dataset-status').textContent"
        ".startsWith('Reading')", timeout=READ_MS,
    )
    return page.text_content("#dataset-error") if page.is_visible(
        "#dataset-error") else None


def expected_train(name, params=None, **choices):
    spec = {"name": name, "positive": None, "features": None, "shuffle": None,
            **choices}
    return ferrolearn.study.train(
        params or {}, ferrolearn.study.load_dataset(spec, raw(name)))


def options(page, select):
    return page.eval_on_selector_all(
        f"{select} option", "os => os.map(o => [o.value, o.textContent])")


def feature_boxes(page):
    """The feature checkboxes as {column name shown: checked}."""
    return page.eval_on_selector_all(
        "#features label",
        "labels => Object.fromEntries(labels.map(label => [label.textContent,"
        " label.querySelector('input').checked]))",
    )


def tick_texts(page, chart_id, axis):
    """The tick labels a chart shows on screen, as text."""
    return page.eval_on_selector_all(
        f"#{chart_id} .{axis}tick text", "ts => ts.map(t => t.textContent)")


def by_magnitude(weights):
    return sorted(weights, key=lambda name: -abs(weights[name]))


def warning_texts(page):
    return page.eval_on_selector_all("#warnings li",
                                     "items => items.map(i => i.textContent)")


def test_dataset_controls_exist_and_abalone_is_the_default(page, sites):
    page.goto(sites["dead"])

    for control_id in DATASET_CONTROLS:
        assert page.locator(f"#{control_id}").count() == 1, control_id
    for control_id in ("dataset", "dataset-file", "target", "positive-class",
                       "shuffle-seed"):
        assert page.locator(f"label[for='{control_id}']").count() == 1, control_id
    assert options(page, "#dataset") == [["abalone", "abalone (M vs F)"]]
    assert page.get_attribute("#dataset-file", "type") == "file"
    assert page.get_attribute("#dataset-file", "accept") == \
        ".csv,.tsv,.txt,text/csv"
    assert page.locator("#dataset-drop #dataset-file").count() == 1
    assert page.get_attribute("#shuffle", "type") == "checkbox"
    assert not page.is_checked("#shuffle")
    assert page.is_hidden("#dataset-choices")

    page.select_option("#dataset", "abalone")
    assert page.evaluate("location.hash") == DEFAULT_HASH


def test_the_page_and_python_agree_on_the_limits():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: apt-get install nodejs")
    module = (ROOT / "web" / "dataset.js").as_uri()
    done = subprocess.run(
        [node, "--input-type=module", "-e",
         (f"import {{ MAX_BYTES, MAX_LISTED }} from {json.dumps(module)};"
          " console.log(JSON.stringify([MAX_BYTES, MAX_LISTED]));")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [ferrolearn.csvdata.MAX_BYTES,
                                       ferrolearn.csvdata.MAX_LISTED_VALUES]


def test_an_over_size_file_is_refused_at_once(page, sites, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.write(b"x,label\n")
        out.truncate(ferrolearn.csvdata.MAX_BYTES + 1)
    page.goto(sites["dead"])

    began = time.monotonic()
    message = upload(page, big)
    assert time.monotonic() - began < 10
    assert message.startswith("big.csv is 20.0 MB, larger than the limit of "
                              "20 MB (20,000,000 bytes); use a smaller file")
    assert page.evaluate("1 + 1") == 2
    assert options(page, "#dataset") == [["abalone", "abalone (M vs F)"]]
    assert page.is_hidden("#dataset-choices")
    assert page.is_enabled("#train")


def test_own_file_trains_and_searches_like_cpython(page, runtime_site, context):
    requests = []
    context.on("request", lambda request: requests.append(request))
    page.goto(runtime_site + SEARCH_HASH)
    assert wait_for_state(page, "ready", "error", timeout=LOAD_MS) == "ready"
    hash_before = page.evaluate("location.hash")

    assert upload(page, FIXTURES / "two_class.csv") is None
    preview = ferrolearn.csvdata.inspect_csv(raw("two_class.csv"), "two_class.csv")
    assert page.input_value("#dataset") == "file"
    assert options(page, "#dataset")[1] == ["file", "two_class.csv"]
    targets = [c for c in preview["columns"] if c in preview["targets"]]
    assert [value for value, _ in options(page, "#target")] == targets
    assert page.input_value("#target") == preview["default_target"] == "kind"
    kind = preview["targets"]["kind"]
    assert [value for value, _ in options(page, "#positive-class")] == \
        kind["values"]
    assert page.input_value("#positive-class") == kind["default_positive"]
    assert feature_boxes(page) == {name: True for name in preview["numeric"]}
    assert "site" in page.text_content("#features-skipped")

    run(page, "#train")
    expected = expected_train("two_class.csv", SEARCH_PARAMS, target="kind",
                              positive="late")
    assert_matches_train(page, expected)
    assert chart_traces(page, "weights-chart")[0]["y"] == \
        by_magnitude(expected["weights"])
    assert page.text_content("#result-data") == \
        "Predicting kind: late (positive) or early."
    assert warning_texts(page) == expected["notes"] + expected["warnings"]

    run(page, "#search")
    data = ferrolearn.study.load_dataset(
        {"name": "two_class.csv", "target": "kind", "positive": "late"},
        raw("two_class.csv"))
    searched = ferrolearn.study.search(SEARCH_PARAMS, data)
    assert data_value(page, "#best-lambda") == pytest.approx(
        searched["best_lam"], rel=1e-12)
    assert_matches_train(page, searched["model"])
    means = chart_traces(page, "grid-chart")[1]["y"]
    zero = chart_traces(page, "grid-chart")[2]["y"]
    assert zero + means == [point["mean_accuracy"] for point in searched["grid"]]

    assert page.evaluate("location.hash") == hash_before
    assert all(request.method == "GET" and request.post_data is None
               for request in requests), [r.url for r in requests]

    # A model of other data clears the search beside it.
    page.select_option("#dataset", "abalone")
    run(page, "#train")
    assert page.get_attribute("#best-lambda", "data-value") == ""
    assert chart_traces(page, "grid-chart") == []
    assert chart_traces(page, "stability-chart") == []


def test_changed_choices_reach_python(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "two_class.csv") is None

    page.select_option("#positive-class", "early")
    page.uncheck("#features input[value='height']")
    run(page, "#train")
    assert_matches_train(page, expected_train(
        "two_class.csv", target="kind", positive="early",
        features=["width", "weight"]))

    page.check("#features input[value='height']")
    page.select_option("#target", "site")
    assert page.input_value("#positive-class") == ""
    assert "choose the positive one" in page.text_content("#positive-prompt")
    page.select_option("#positive-class", "north")
    assert feature_boxes(page) == {"width": True, "height": True, "weight": True}
    run(page, "#train")
    expected = expected_train("two_class.csv", target="site", positive="north")
    assert_matches_train(page, expected)
    assert page.text_content("#result-data") == \
        "Predicting site: north (positive) or not north."
    assert page.evaluate("location.hash") == DEFAULT_HASH


def test_a_sorted_file_points_at_the_shuffle_and_the_shuffle_works(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "sorted.csv") is None
    assert page.is_hidden("#shuffle-advice")

    run(page, "#train")
    expected = expected_train("sorted.csv", target="label")
    assert_matches_train(page, expected)
    assert warning_texts(page) == expected["notes"] + expected["warnings"]
    assert any("holds only" in warning for warning in expected["warnings"])
    assert page.is_visible("#shuffle-advice")
    assert "attention" in page.get_attribute("#shuffle-option", "class")

    page.check("#shuffle")
    page.fill("#shuffle-seed", "3")
    run(page, "#train")
    expected = expected_train("sorted.csv", target="label", shuffle=3)
    assert_matches_train(page, expected)
    assert "rows shuffled with seed 3" in warning_texts(page)
    assert page.is_hidden("#shuffle-advice")
    assert page.evaluate("location.hash") == DEFAULT_HASH


def test_bad_files_leave_the_last_dataset_and_results_as_they_were(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "two_class.csv") is None
    run(page, "#train")
    accuracy = page.get_attribute("#val-accuracy", "data-value")
    charts = {chart: chart_traces(page, chart)
              for chart in ("loss-chart", "weights-chart")}
    weights = page_weights(page)

    with pytest.raises(ferrolearn.csvdata.DataError) as raised:
        ferrolearn.csvdata.inspect_csv(raw("ragged.csv"), "ragged.csv")
    assert upload(page, FIXTURES / "ragged.csv") == str(raised.value)
    assert options(page, "#dataset")[1] == ["file", "two_class.csv"]
    assert page.input_value("#dataset") == "file"
    assert page.input_value("#target") == "kind"
    assert page.get_attribute("#val-accuracy", "data-value") == accuracy
    assert {chart: chart_traces(page, chart) for chart in charts} == charts
    run(page, "#train")
    assert page.get_attribute("#val-accuracy", "data-value") == accuracy
    assert page_weights(page) == weights

    with pytest.raises(ferrolearn.csvdata.DataError) as raised:
        ferrolearn.study.load_dataset(
            {"name": "one_positive.csv", "target": "label"}, raw("one_positive.csv"))
    assert upload(page, FIXTURES / "one_positive.csv") is None
    page.click("#train")
    assert wait_for_state(page, "error", "done", timeout=60_000) == "error"
    assert page.text_content("#message") == str(raised.value)
    assert page.get_attribute("#val-accuracy", "data-value") == accuracy
    assert {chart: chart_traces(page, chart) for chart in charts} == charts
    assert page.is_enabled("#train")


def test_markup_in_names_is_shown_as_typed(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "markup_names.csv") is None

    assert page.input_value("#target") == "<i>kind</i>"
    assert options(page, "#target")[-1] == ["<i>kind</i>", "<i>kind</i>"]
    assert [text for _, text in options(page, "#positive-class")] == \
        ["<a>yes</a>", "b&c"]
    assert feature_boxes(page) == {"<b>x</b>": True, "z<br>": True}
    assert page.locator("#dataset-choices").locator("b, i, a, br").count() == 0

    run(page, "#train")
    expected = expected_train("markup_names.csv", target="<i>kind</i>")
    assert_matches_train(page, expected)
    order = by_magnitude(expected["weights"])
    assert order[0] == "<b>x</b>"
    assert chart_traces(page, "weights-chart")[0]["y"] == \
        [html.escape(name, quote=False) for name in order]
    assert sorted(tick_texts(page, "weights-chart", "y")) == sorted(order)
    rows = tick_texts(page, "probability-chart", "y")
    assert any(row.startswith("actual <a>yes</a> (") for row in rows), rows
    assert any(row.startswith("actual b&c (") for row in rows), rows
    for chart in ("weights-chart", "probability-chart"):
        bold = page.locator(f"#{chart} .ytick tspan[style*='bold']").count()
        assert bold == 0, chart
    assert page.text_content("#result-data") == \
        "Predicting <i>kind</i>: b&c (positive) or <a>yes</a>."
    assert page.locator(".summary").locator("b, i, a, br").count() == 0


def test_a_dropped_file_is_read_like_a_chosen_one(ready_page):
    page = ready_page
    page.evaluate(
        """([name, text]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text], name, { type: "text/csv" }));
          const zone = document.getElementById("dataset-drop");
          for (const type of ["dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(type, {
              dataTransfer: transfer, bubbles: true, cancelable: true }));
          }
        }""",
        ["two_class.csv", raw("two_class.csv").decode()],
    )
    page.wait_for_function(
        "document.getElementById('dataset').value === 'file'", timeout=READ_MS)
    assert page.input_value("#target") == "kind"
    run(page, "#train")
    assert_matches_train(page, expected_train("two_class.csv", target="kind"))


def test_switching_back_to_abalone_restores_the_study(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "two_class.csv") is None
    run(page, "#train")

    page.select_option("#dataset", "abalone")
    assert page.is_hidden("#dataset-choices")
    run(page, "#train")
    assert_matches_train(page, ferrolearn.study.train({}))
    assert page.text_content("#result-data") == \
        "Predicting sex: M (positive) or F."

    page.select_option("#dataset", "file")
    assert page.input_value("#target") == "kind"
    run(page, "#train")
    assert data_value(page, "#val-accuracy") == expected_train(
        "two_class.csv", target="kind")["history"]["acc_val"][-1]


def test_a_file_without_a_likely_target_says_why(ready_page, tmp_path):
    page = ready_page
    path = tmp_path / "constant.csv"
    path.write_text("x1,x2,cls\n" + "".join(
        f"{i / 10},{(i * 7) % 12},a\n" for i in range(12)))
    preview = ferrolearn.csvdata.inspect_csv(path.read_bytes(), path.name)
    assert preview["default_target"] is None and "cls" not in preview["targets"]

    assert upload(page, path) is None
    assert page.input_value("#target") == ""
    prompt = page.text_content("#target-prompt")
    assert page.is_visible("#target-prompt")
    assert "cls has fewer than two different values" in prompt
    assert "x1 and x2 hold numbers with three or more different values" in prompt

    page.click("#train")
    assert wait_for_state(page, "error", "done", timeout=60_000) == "error"
    assert page.text_content("#message") == (
        "Choose the column of constant.csv to predict (the target) first. "
        + prompt)


def test_a_file_read_as_one_column_names_the_delimiters(ready_page, tmp_path):
    # Whether Python refuses the file or the page does, the person learns why.
    page = ready_page
    path = tmp_path / "piped.txt"
    path.write_text("x1|x2|cls\n" + "".join(f"{i}|{i % 3}|{'ab'[i % 2]}\n"
                                            for i in range(12)))

    message = upload(page, path)
    assert message is not None and "one column" in message
    assert "separated by commas, semicolons or tabs" in message
    assert options(page, "#dataset") == [["abalone", "abalone (M vs F)"]]
    assert page.is_hidden("#dataset-choices")


def test_the_baseline_is_named_as_the_training_majority(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "sorted.csv") is None
    run(page, "#train")

    expected = expected_train("sorted.csv", target="label")
    assert expected["baseline"] == {"train": 0.625, "val": 0.0}
    assert page.text_content("#train-accuracy").endswith(
        "(guessing the training majority: 62.5%)")
    assert page.text_content("#val-accuracy").endswith(
        "(guessing the training majority: 0.0%)")
    legend = page.eval_on_selector_all(
        "#accuracy-chart .legendtext", "ts => ts.map(t => t.textContent)")
    assert legend[-1] == "guessing the training majority (validation)"


def test_an_invalid_shuffle_seed_stops_train_until_it_is_fixed(ready_page):
    page = ready_page
    assert upload(page, FIXTURES / "sorted.csv") is None
    page.check("#shuffle")
    page.fill("#shuffle-seed", "-5")
    assert page.text_content("#shuffle-seed-error") != ""

    page.click("#train")
    assert page.text_content("#message") == \
        "Fix Shuffle seed first: see the note beside it."
    assert page.evaluate(STATE) == "ready"
    assert page.get_attribute("#val-accuracy", "data-value") == ""

    # Without the shuffle the seed is not used, so it blocks nothing.
    page.uncheck("#shuffle")
    assert page.is_hidden("#message")
    page.check("#shuffle")
    page.click("#train")
    assert page.is_visible("#message")

    page.fill("#shuffle-seed", "3")
    assert page.is_hidden("#message")
    run(page, "#train")
    assert_matches_train(page, expected_train("sorted.csv", target="label",
                                              shuffle=3))
