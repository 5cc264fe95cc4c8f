"""Training in the browser (Pyodide) against the same settings in CPython.

These need the local Pyodide copy (FERROLEARN_PYODIDE_DIR) and skip, saying
so, without it. Expected numbers come from ferrolearn run here in CPython.
"""

import time

import pytest

import ferrolearn.study
from browser_support import (
    LOAD_MS, RUN_MS, STATE, assert_matches_train, chart_traces, data_value,
    guarded_context, run, wait_for_state, watch_console,
)

pytestmark = pytest.mark.browser

CHARTS = ("loss-chart", "accuracy-chart", "probability-chart", "weights-chart",
          "stability-chart", "grid-chart")
PROGRESS = "(p => [p.value, p.max])(document.getElementById('progress'))"
SMALL_SEARCH = {"cv_epochs": 300, "steps": 4}


@pytest.fixture(scope="module")
def searched(browser, runtime_site):
    """One page that has run the small search, with what it logged."""
    context, outside = guarded_context(browser)
    page = context.new_page()
    errors = []
    watch_console(page, errors)
    page.goto(runtime_site + "#cv-epochs=300&grid-steps=4")
    wait_for_state(page, "ready", "error", timeout=LOAD_MS)
    run(page, "#search")
    yield {"page": page, "errors": errors}
    context.close()
    assert not outside, f"requests beyond loopback were made: {outside}"


@pytest.fixture(scope="module")
def cpython_search():
    calls = []
    result = ferrolearn.study.search(
        SMALL_SEARCH, progress=lambda done, total: calls.append((done, total))
    )
    return result, calls


def test_default_training_matches_cpython(ready_page, console_errors):
    run(ready_page, "#train")

    expected = ferrolearn.study.train({})
    assert_matches_train(ready_page, expected)
    text = ready_page.text_content("#val-accuracy")
    assert "58.4%" in text and "guessing the training majority: 54.0%" in text
    assert console_errors == []


def test_exact_hash_values_are_what_python_trains_with(page, runtime_site):
    page.goto(runtime_site + "#alpha=0.0123&epochs=1234&lambda=0.0456")
    wait_for_state(page, "ready", timeout=LOAD_MS)
    run(page, "#train")

    expected = ferrolearn.study.train({"alpha": 0.0123, "epochs": 1234,
                                       "lam": 0.0456})
    assert len(chart_traces(page, "loss-chart")[0]["y"]) == 1235
    assert_matches_train(page, expected)


def test_search_finds_the_cpython_best_lambda(searched, cpython_search):
    page = searched["page"]
    expected, calls = cpython_search

    assert data_value(page, "#best-lambda") == pytest.approx(
        expected["best_lam"], rel=1e-12
    )
    assert_matches_train(page, expected["model"])
    means = chart_traces(page, "grid-chart")[1]["y"]
    zero = chart_traces(page, "grid-chart")[2]["y"]
    assert zero + means == [point["mean_accuracy"] for point in expected["grid"]]
    # Progress counts model-epochs: every grid point's five folds, then the
    # refit.
    p = expected["params"]
    total = (p["steps"] + 1) * p["folds"] * p["cv_epochs"] + p["epochs"]
    assert page.evaluate(PROGRESS) == [total, total]
    assert calls[-1][0] == calls[-1][1]


def test_the_best_lambda_is_labelled_to_three_significant_digits(page,
                                                                 runtime_site):
    # A grid whose winner, unlike the small search's λ = 10, has many digits.
    params = {"cv_epochs": 300, "epochs": 500, "lam_min": 2, "lam_max": 1000,
              "steps": 3}
    best = ferrolearn.study.search(params)["best_lam"]
    assert best == pytest.approx(44.72, abs=0.01)
    page.goto(runtime_site + "#cv-epochs=300&epochs=500&grid-min=2"
              "&grid-max=1000&grid-steps=3")
    wait_for_state(page, "ready", timeout=LOAD_MS)
    run(page, "#search")

    trace = page.evaluate(
        "(t => ({name: t.name, hover: t.hovertemplate}))"
        "(document.getElementById('grid-chart').data[3])")

    shown = trace["name"].removeprefix("best λ = ")
    assert float(shown) == float(f"{best:.3g}")
    assert len(shown.split("e")[0].replace(".", "").lstrip("0")) <= 3, shown
    assert trace["hover"].startswith(f"best λ = {shown}: ")
    assert shown in page.text_content("#grid-chart .legend")
    assert data_value(page, "#best-lambda") == best


# Where Plotly drew a chart's parts on screen; "nsewdrag" covers the plot area.
BOXES = """id => Object.fromEntries(["modebar", "legend", "xtitle", "nsewdrag"].map(
  part => { const element = document.querySelector(`#${id} .${part}`);
            const box = element.getBoundingClientRect();
            return [part, {top: box.top, bottom: box.bottom, left: box.left,
                           right: box.right}]; }))"""


def overlap(a, b):
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


def test_legends_stay_clear_of_the_modebar_on_a_phone(searched):
    page = searched["page"]
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for chart in ("loss-chart", "accuracy-chart", "grid-chart"):
            page.wait_for_function(
                "id => document.querySelector(`#${id} .main-svg`)"
                ".getBoundingClientRect().width <= 390", arg=chart)
            page.hover(f"#{chart}")
            boxes = page.evaluate(BOXES, chart)
            assert not overlap(boxes["modebar"], boxes["legend"]), (chart, boxes)
            assert boxes["legend"]["top"] >= boxes["xtitle"]["bottom"], (chart, boxes)
            assert boxes["xtitle"]["top"] >= boxes["nsewdrag"]["bottom"], (chart, boxes)
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_every_chart_holds_data(searched):
    page = searched["page"]
    for chart_id in CHARTS:
        traces = chart_traces(page, chart_id)
        assert traces, chart_id
        assert any(trace["x"] for trace in traces), chart_id


def test_no_console_errors_during_load_and_search(searched):
    assert searched["errors"] == []


def test_a_python_error_is_shown_in_its_own_words(ready_page):
    # On standardized abalone even α = 1 converges, so the page cannot make
    # ferrolearn diverge; a search without a penalty takes the same path.
    ready_page.select_option("#penalty", "none")
    with pytest.raises(ValueError) as raised:
        ferrolearn.study.search({"penalty": "none"})
    ready_page.click("#search")

    assert wait_for_state(ready_page, "error", "done", timeout=RUN_MS) == "error"
    assert ready_page.text_content("#message") == str(raised.value)
    assert ready_page.is_enabled("#train") and ready_page.is_disabled("#cancel")


def test_cancel_stops_a_search_and_the_next_run_works(ready_page):
    page = ready_page
    page.click("#search")
    page.wait_for_function("document.getElementById('progress').value > 0",
                           timeout=RUN_MS)
    assert page.evaluate(PROGRESS)[1] == 31 * 5 * 5000 + 5000

    # The search runs in workers: the page keeps painting frames meanwhile.
    frames = page.evaluate(
        "() => new Promise(done => { let n = 0;"
        " const end = performance.now() + 1000;"
        " const tick = () => { n += 1;"
        " if (performance.now() < end) requestAnimationFrame(tick);"
        " else done(n); };"
        " requestAnimationFrame(tick); })")
    assert frames >= 10
    assert page.evaluate(STATE) == "busy"

    began = time.monotonic()
    page.click("#cancel")
    assert wait_for_state(page, "cancelled", timeout=5_000) == "cancelled"
    assert time.monotonic() - began < 5
    assert page.is_enabled("#train") and page.is_disabled("#cancel")
    assert page.get_attribute("#best-lambda", "data-value") == ""

    run(page, "#train")
    assert_matches_train(page, ferrolearn.study.train({}))


WORKERS = "document.getElementById('status').dataset.workers"


def test_parallel_search_streams_the_grid_and_equals_cpython(page, runtime_site):
    params = {"cv_epochs": 400, "steps": 9, "epochs": 500}
    page.goto(runtime_site + "#cv-epochs=400&grid-steps=9&epochs=500")
    wait_for_state(page, "ready", timeout=LOAD_MS)
    cores = page.evaluate("navigator.hardwareConcurrency")
    expected_pool = max(1, min(3, cores))
    page.wait_for_function(f"{WORKERS} === '{expected_pool}/{expected_pool}'",
                           timeout=LOAD_MS)

    page.click("#search")
    # Grid points are drawn while the search still runs.
    page.wait_for_function(
        "(() => { const d = document.getElementById('grid-chart').data || [];"
        " const n = d.length ? d[0].x.length : 0;"
        " return n > 0 && n < 50 &&"
        " document.getElementById('status').dataset.state === 'busy'; })()",
        timeout=RUN_MS)
    assert wait_for_state(page, "done", "error", timeout=RUN_MS) == "done"

    expected = ferrolearn.study.search(params)
    assert data_value(page, "#best-lambda") == expected["best_lam"]
    folds = chart_traces(page, "grid-chart")[0]["y"]
    assert folds == [a for point in expected["grid"] for a in point["fold_accuracy"]]
    order = sorted(expected["model"]["weights"],
                   key=lambda name: -abs(expected["model"]["weights"][name]))
    weights = [fold["weights"][name] for fold in expected["fold_weights"]
               for name in order]
    assert chart_traces(page, "stability-chart")[0]["x"] == pytest.approx(
        weights, abs=1e-9)
    assert_matches_train(page, expected["model"])
