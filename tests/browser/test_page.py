"""The page without a Python runtime: controls, URL hash, load failures.

These run everywhere: the sites they load point at loopback ports where no
Pyodide is, so the runtime fails to load while the controls keep working.
"""

import time

import pytest

from browser_support import (
    DEFAULT_HASH, guarded_context, refused_port, run_build, serve, site_url,
    wait_for_state,
)

pytestmark = pytest.mark.browser

SLIDERS = {"alpha": "0.01", "lambda": "0.01", "epochs": "5000", "cv-epochs": "5000"}
FIELDS = {"penalty": "l2", "grid-min": "1e-6", "grid-max": "10", "grid-steps": "30"}


def shown(page, control_id):
    """The value a control shows: a slider's output text, or a field's value."""
    if page.get_attribute(f"#{control_id}", "type") == "range":
        return page.text_content(f"#{control_id}-value").strip()
    return page.input_value(f"#{control_id}")


def hash_of(page):
    return page.evaluate("location.hash")


# From now on, every status #status takes and the buttons beside it, in
# window.statusLog: a check after the fact misses a state that came and went.
LOG_STATUS = """() => {
  window.statusLog = [];
  const status = document.getElementById("status");
  const note = () => window.statusLog.push({
    state: status.dataset.state, text: status.textContent.trim(),
    train: !document.getElementById("train").disabled,
    cancel: !document.getElementById("cancel").disabled,
  });
  const watch = { attributes: true, childList: true, characterData: true,
                  subtree: true };
  for (const id of ["status", "train", "cancel"]) {
    new MutationObserver(note).observe(document.getElementById(id), watch);
  }
}"""


def status_log(page):
    return page.evaluate("window.statusLog")


def test_controls_exist_and_show_the_defaults(page, sites):
    page.goto(sites["dead"])

    for control_id, value in {**SLIDERS, **FIELDS}.items():
        assert page.locator(f"label[for='{control_id}']").count() == 1, control_id
        assert shown(page, control_id) == value, control_id
    for control_id in SLIDERS:
        assert page.get_attribute(f"#{control_id}", "type") == "range"
    for button in ("train", "search", "cancel"):
        assert page.locator(f"button#{button}").count() == 1
    for chart in ("loss", "accuracy", "probability", "weights", "stability",
                  "grid"):
        assert page.locator(f"#{chart}-chart").count() == 1
    assert page.locator("progress#progress").count() == 1
    assert hash_of(page) == DEFAULT_HASH
    assert page.is_hidden("#hash-notice")


def test_exact_hash_values_are_kept_where_the_slider_is_coarser(page, sites):
    page.goto(sites["dead"] + "#alpha=0.0123456&epochs=1234&lambda=3e-6"
              "&penalty=l1&grid-min=2.5e-5&grid-steps=7")

    assert shown(page, "alpha") == "0.0123456"
    assert shown(page, "epochs") == "1234"
    assert shown(page, "lambda") == "3e-6"
    assert shown(page, "penalty") == "l1"
    assert shown(page, "grid-min") == "2.5e-5"
    assert shown(page, "grid-steps") == "7"
    # The slider can only stand on a step of 100; the exact value stays.
    assert page.input_value("#epochs") in ("1200", "1300")
    assert hash_of(page) == (
        "#alpha=0.0123456&epochs=1234&penalty=l1&lambda=3e-6&cv-epochs=5000"
        "&grid-min=2.5e-5&grid-max=10&grid-steps=7"
    )
    assert page.is_hidden("#hash-notice")


def test_bad_hash_values_fall_back_to_defaults_and_say_so(page, sites):
    page.goto(sites["dead"] + "#epochs=abc&alpha=5&penalty=l3&grid-max=-1"
              "&grid-steps=2.5&colour=red&lambda=0.5")

    assert shown(page, "epochs") == "5000"
    assert shown(page, "alpha") == "0.01"
    assert shown(page, "penalty") == "l2"
    assert shown(page, "grid-max") == "10"
    assert shown(page, "grid-steps") == "30"
    assert shown(page, "lambda") == "0.5"
    notice = page.text_content("#hash-notice")
    assert page.is_visible("#hash-notice")
    for text in ("epochs=abc", "alpha=5", "penalty=l3", "grid-max=-1",
                 "grid-steps=2.5", '"colour"', "default 5000", "default 0.01"):
        assert text in notice, text
    assert "lambda=0.5" not in notice
    assert hash_of(page) == DEFAULT_HASH.replace("lambda=0.01", "lambda=0.5")


def test_changing_controls_updates_the_hash_and_a_reload_restores_it(page, sites):
    page.goto(sites["dead"])

    page.focus("#epochs")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.focus("#alpha")
    page.keyboard.press("ArrowLeft")
    page.select_option("#penalty", "l1")
    page.fill("#grid-steps", "12")
    page.fill("#grid-min", "-1")

    assert shown(page, "epochs") == "5200"
    assert shown(page, "alpha") == "0.00891"
    assert page.get_attribute("#grid-min", "aria-invalid") == "true"
    assert page.text_content("#grid-min-error").strip() != ""
    expected = ("#alpha=0.00891&epochs=5200&penalty=l1&lambda=0.01"
                "&cv-epochs=5000&grid-min=1e-6&grid-max=10&grid-steps=12")
    assert hash_of(page) == expected

    page.reload()
    assert hash_of(page) == expected
    assert shown(page, "epochs") == "5200"
    assert shown(page, "alpha") == "0.00891"
    assert shown(page, "penalty") == "l1"
    assert shown(page, "grid-steps") == "12"
    assert shown(page, "grid-min") == "1e-6"


def test_editing_the_address_hash_updates_the_controls(page, sites):
    page.goto(sites["dead"])

    page.evaluate("location.hash = 'epochs=700&penalty=none'")
    page.wait_for_function(
        "document.getElementById('epochs-value').textContent === '700'"
    )

    assert shown(page, "penalty") == "none"
    assert page.is_disabled("#lambda")
    assert hash_of(page) == (
        "#alpha=0.01&epochs=700&penalty=none&lambda=0.01&cv-epochs=5000"
        "&grid-min=1e-6&grid-max=10&grid-steps=30"
    )


def test_unreachable_runtime_ends_in_an_error_not_a_hang(page, sites):
    page.goto(sites["dead"])

    assert wait_for_state(page, "error", timeout=30_000) == "error"
    message = page.text_content("#message")
    assert page.is_visible("#message")
    assert "Could not fetch the Python runtime" in message
    assert "reload" in message

    page.click("#train")
    assert wait_for_state(page, "error", timeout=30_000) == "error"
    assert page.is_enabled("#train")


def test_invalid_fields_stop_a_run_and_name_the_fields_to_fix(page, sites):
    page.goto(sites["dead"] + "#grid-min=20&grid-max=10")
    assert wait_for_state(page, "error", timeout=30_000) == "error"
    page.evaluate(LOG_STATUS)

    page.fill("#grid-min", "-3")
    page.fill("#grid-steps", "0")
    for button in ("#search", "#train"):
        page.click(button)
        assert page.is_visible("#message")
        assert page.text_content("#message") == (
            "Fix Smallest λ and Grid points first: see the note beside each.")
    assert status_log(page) == []
    assert page.is_enabled("#train") and page.is_disabled("#cancel")

    page.fill("#grid-min", "1e-3")
    assert page.text_content("#message") == \
        "Fix Grid points first: see the note beside it."
    page.fill("#grid-steps", "4")
    assert page.is_hidden("#message")

    # With every field valid, Train runs again (and meets the dead runtime).
    page.click("#train")
    assert wait_for_state(page, "error", timeout=30_000) == "error"
    assert "busy" in [entry["state"] for entry in status_log(page)]
    assert "Could not fetch the Python runtime" in page.text_content("#message")


def test_a_retry_on_a_dead_runtime_fails_as_fast_and_as_clearly(browser, sites,
                                                              tmp_path):
    out = tmp_path / "site"
    done = run_build("--out", out, "--wheel", sites["wheel"], "--load-timeout", 10,
                     "--pyodide-url", f"http://127.0.0.1:{refused_port()}/")
    assert done.returncode == 0, done.stderr
    server = serve(out)
    context, outside = guarded_context(browser)
    try:
        page = context.new_page()
        page.goto(site_url(server))
        assert wait_for_state(page, "error", timeout=30_000) == "error"
        first = page.text_content("#message")
        assert "Could not fetch the Python runtime" in first

        for button in ("#train", "#search"):
            page.evaluate(LOG_STATUS)
            began = time.monotonic()
            page.click(button)
            page.wait_for_function(
                "document.getElementById('status').dataset.state !== 'busy'",
                timeout=30_000)
            assert time.monotonic() - began < 5, button
            assert page.evaluate(
                "document.getElementById('status').dataset.state") == "error"
            assert page.text_content("#message") == first
            log = status_log(page)
            waiting = [entry for entry in log if entry["state"] == "busy"]
            assert waiting, log
            # While it waits, only Cancel can be pressed; afterwards, the reverse.
            assert all(not e["train"] and e["cancel"] for e in waiting), log
            assert page.is_enabled("#train") and page.is_disabled("#cancel")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert not outside, f"requests beyond loopback were made: {outside}"


def test_train_and_search_wait_until_the_page_has_started(page, sites):
    # Held, manifest.json keeps the page from making its client to the worker.
    held = []
    page.route("**/manifest.json", lambda route: held.append(route))
    page.goto(sites["dead"])
    while not held:
        page.wait_for_timeout(50)

    assert page.is_disabled("#train") and page.is_disabled("#search")
    assert page.is_disabled("#cancel")
    held[0].continue_()
    assert wait_for_state(page, "error", timeout=30_000) == "error"
    assert page.is_enabled("#train") and page.is_enabled("#search")
    assert page.is_disabled("#cancel")


def test_runtime_that_never_answers_times_out_with_a_message(page, sites):
    began = time.monotonic()
    page.goto(sites["hang"])

    assert wait_for_state(page, "error", timeout=30_000) == "error"
    assert time.monotonic() - began >= 3
    assert "did not finish loading within 3 s" in page.text_content("#message")


def test_the_guard_catches_a_workers_request_beyond_loopback(browser, sites,
                                                           tmp_path):
    # 127.0.0.2 is loopback too, so should the guard miss it, nothing leaves
    # the machine; the guard lets only 127.0.0.1 and localhost through.
    out = tmp_path / "site"
    done = run_build("--out", out, "--wheel", sites["wheel"],
                     "--pyodide-url", "http://127.0.0.2:9/")
    assert done.returncode == 0, done.stderr
    server = serve(out)
    context, outside = guarded_context(browser)
    try:
        page = context.new_page()
        page.goto(site_url(server))
        wait_for_state(page, "error", timeout=30_000)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert outside and all(url.startswith("http://127.0.0.2:9/") for url in outside)
