// Wiring: controls and URL hash to state, buttons to the worker client,
// results to the summary and the charts. No training maths here.

import {
  SETTINGS, describe, formatValue, parseHash, parseValue, serializeHash, sliderPosition,
  sliderValue, toParams,
} from "./state.js";
import {
  accuracyChart, gridChart, lossChart, placeholderChart, probabilityChart,
  stabilityChart, weightsChart,
} from "./charts.js";
import { CancelledError, LoadError, TrainerClient, poolSize } from "./client.js";
import {
  currentDataset, setupDatasetChooser, showResultContext,
} from "./dataset.js";

const PLOT_CONFIG = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d"],
};
const TRAIN_CHARTS = {
  "loss-chart": lossChart,
  "accuracy-chart": accuracyChart,
  "probability-chart": probabilityChart,
  "weights-chart": weightsChart,
};
const SEARCH_CHARTS = {
  "stability-chart": stabilityChart,
  "grid-chart": gridChart,
};
const percent = new Intl.NumberFormat("en", {
  style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
});
const count = new Intl.NumberFormat("en");
const names = new Intl.ListFormat("en");

const $ = (id) => document.getElementById(id);

let state = {};
let client = null;
let busy = false;
let runToken = 0;
let searchedData = null;
// Whether #message lists fields to fix, so that fixing them clears it.
let fieldsMessage = false;

function showState(problems) {
  for (const s of SETTINGS) {
    const control = $(s.id);
    const text = formatValue(s, state[s.id]);
    if (control.type === "range") {
      control.value = String(sliderPosition(s, state[s.id]));
      control.setAttribute("aria-valuetext", text);
      $(`${s.id}-value`).textContent = text;
    } else {
      control.value = text;
    }
    control.removeAttribute("aria-invalid");
    const error = $(`${s.id}-error`);
    if (error) error.textContent = "";
  }
  $("lambda").disabled = state.penalty === "none";
  const notice = $("hash-notice");
  notice.hidden = problems.length === 0;
  notice.replaceChildren(
    ...problems.map((problem) => {
      const item = document.createElement("p");
      item.textContent = problem;
      return item;
    }),
  );
}

function writeHash() {
  history.replaceState(null, "", `#${serializeHash(state)}`);
}

function readHash() {
  const parsed = parseHash(location.hash);
  state = parsed.state;
  showState(parsed.problems);
  writeHash();
}

function onControl(s, control) {
  if (control.type === "range") {
    state[s.id] = sliderValue(s, control.value);
    const text = formatValue(s, state[s.id]);
    control.setAttribute("aria-valuetext", text);
    $(`${s.id}-value`).textContent = text;
  } else {
    const parsed = parseValue(s, control.value.trim());
    const error = $(`${s.id}-error`);
    if ("error" in parsed) {
      control.setAttribute("aria-invalid", "true");
      if (error) error.textContent = `Needs ${describe(s)}.`;
      return;
    }
    control.removeAttribute("aria-invalid");
    if (error) error.textContent = "";
    state[s.id] = parsed.value;
  }
  $("lambda").disabled = state.penalty === "none";
  $("hash-notice").hidden = true;
  writeHash();
}

function setStatus(name, text) {
  const status = $("status");
  status.dataset.state = name;
  status.textContent = text;
}

function showMessage(text) {
  const message = $("message");
  message.textContent = text;
  message.hidden = text === "";
  fieldsMessage = false;
}

/**
 * The labels of the fields in use whose text is not allowed. Such a field
 * keeps its last good value in `state`, which a run must not use unseen.
 */
function invalidFields() {
  return [...document.querySelectorAll(".controls [aria-invalid='true']")]
    .filter((field) => !field.disabled && field.closest("[hidden]") === null)
    .map((field) => field.labels[0].textContent.trim());
}

/** Name the fields to fix in #message; false when there are none. */
function showInvalidFields() {
  const labels = invalidFields();
  if (labels.length === 0) return false;
  showMessage(`Fix ${names.format(labels)} first: see the note beside ` +
    `${labels.length === 1 ? "it" : "each"}.`);
  fieldsMessage = true;
  return true;
}

/** After any edit: keep the list of fields to fix up to date, if shown. */
function recheckFields() {
  if (fieldsMessage && !showInvalidFields()) showMessage("");
}

function setBusy(value) {
  busy = value;
  $("train").disabled = value;
  $("search").disabled = value;
  $("cancel").disabled = !value;
}

function showProgress(done, total) {
  const progress = $("progress");
  progress.max = total;
  progress.value = done;
}

function showNumber(id, value, text) {
  const element = $(id);
  element.dataset.value = String(value);
  element.textContent = text;
}

function draw(id, figure) {
  Plotly.react($(id), figure.data, figure.layout, {
    ...PLOT_CONFIG,
    toImageButtonOptions: { format: "png", filename: `ferrolearn-${id}` },
  });
}

function showTrain(train) {
  const { acc_train: accTrain, acc_val: accVal } = train.history;
  const trainAccuracy = accTrain[accTrain.length - 1];
  const valAccuracy = accVal[accVal.length - 1];
  // The baseline guesses the training rows' majority class on both splits,
  // so the label names it: the validation rows may have another majority.
  showNumber("train-accuracy", trainAccuracy,
    `${percent.format(trainAccuracy)} ` +
    `(guessing the training majority: ${percent.format(train.baseline.train)})`);
  showNumber("val-accuracy", valAccuracy,
    `${percent.format(valAccuracy)} ` +
    `(guessing the training majority: ${percent.format(train.baseline.val)})`);

  const rows = [["bias", train.bias], ...Object.entries(train.weights)];
  $("weights-table").tBodies[0].replaceChildren(
    ...rows.map(([name, value]) => {
      const row = document.createElement("tr");
      const term = document.createElement("th");
      term.scope = "row";
      term.textContent = name;
      const weight = document.createElement("td");
      weight.dataset.value = String(value);
      weight.textContent = value.toPrecision(5);
      row.append(term, weight);
      return row;
    }),
  );

  const notes = [...train.notes ?? [], ...train.warnings];
  $("warnings").replaceChildren(
    ...notes.map((note) => {
      const item = document.createElement("li");
      item.textContent = note;
      return item;
    }),
  );
  showResultContext(train);
  for (const [id, chart] of Object.entries(TRAIN_CHARTS)) draw(id, chart(train));
  // A search of other data would sit beside this model as if it were its own.
  if (searchedData !== null && searchedData !== dataIdentity(train)) {
    searchedData = null;
    showNumber("best-lambda", "", "–");
    drawSearchPlaceholders();
  }
}

/** What a result was computed on: its target, classes and features. */
function dataIdentity(train) {
  return JSON.stringify([train.target, train.classes, train.features]);
}

function drawSearchPlaceholders() {
  for (const id of Object.keys(SEARCH_CHARTS)) {
    draw(id, placeholderChart("Search λ to fill this chart."));
  }
}

function showSearch(search) {
  searchedData = dataIdentity(search.model);
  showTrain(search.model);
  showNumber("best-lambda", search.best_lam,
    `${search.best_lam.toPrecision(3)} (best of ${search.grid.length} tried)`);
  for (const [id, chart] of Object.entries(SEARCH_CHARTS)) {
    draw(id, chart(search));
  }
}

function describeRun(type, params) {
  const epochs = type === "train" ? params.epochs : params.cv_epochs;
  return type === "train"
    ? `Training one model for ${count.format(epochs)} epochs`
    : `Searching ${params.steps + 1} values of λ, 5 folds of ` +
      `${count.format(epochs)} epochs each, then refitting`;
}

async function start(type) {
  if (busy || showInvalidFields()) return;
  const params = toParams(state);
  const token = ++runToken;
  const began = performance.now();
  setBusy(true);
  showMessage("");
  showProgress(0, 1);
  setStatus("busy", client.loaded
    ? `${describeRun(type, params)}…`
    : `Waiting for Python to load; then ${describeRun(type, params)
      .toLowerCase()}…`);
  try {
    const onProgress = (done, total, points) => {
      if (token !== runToken) return;
      showProgress(done, total);
      setStatus("busy", `${describeRun(type, params)}: ` + (type === "train"
        ? `${count.format(done)} of ${count.format(total)} epochs.`
        : `${points} of ${params.steps + 1} grid points done on ` +
          `${client.readyCount} worker${client.readyCount === 1 ? "" : "s"}.`));
    };
    const onGrid = (grid) => {
      if (token === runToken) draw("grid-chart", gridChart({ grid, params }));
    };
    const result = await client.run(type, params, onProgress, currentDataset(),
                                    onGrid);
    if (token !== runToken) return;
    if (type === "train") showTrain(result);
    else showSearch(result);
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    setStatus("done", `Done in ${seconds} s.`);
  } catch (error) {
    if (token !== runToken || error instanceof CancelledError) return;
    // The loaderror event has already said what went wrong and what to do.
    if (error instanceof LoadError) return;
    setStatus("error", "The run failed: see the message below.");
    showMessage(error.message);
    showProgress(0, 1);
  } finally {
    if (token === runToken) setBusy(false);
  }
}

function cancel() {
  runToken += 1;
  client.cancel();
  setBusy(false);
  showProgress(0, 1);
  setStatus("cancelled",
    "Cancelled. Python restarts in the background; the next run waits for it.");
}

function loadingText(manifest) {
  return `Loading Python (Pyodide ${manifest.pyodide_version}), numpy and ` +
    "ferrolearn… The first visit downloads about 15 MB.";
}

async function connect() {
  let manifest;
  try {
    const response = await fetch("manifest.json");
    if (!response.ok) throw Error(`HTTP ${response.status}`);
    manifest = await response.json();
  } catch (error) {
    setStatus("error", "The page is incomplete: see the message below.");
    showMessage(`Could not read manifest.json (${error.message}). The site ` +
      "was not built completely: run python build.py again.");
    $("train").disabled = true;
    $("search").disabled = true;
    return;
  }
  client = new TrainerClient({
    workerUrl: new URL("worker.js", location.href),
    pyodideUrl: new URL(manifest.pyodide_url, location.href),
    wheelUrl: new URL(manifest.wheel, location.href),
    loadTimeoutMs: manifest.load_timeout_s * 1000,
  }, poolSize(navigator.hardwareConcurrency));
  const showWorkers = () => {
    $("status").dataset.workers = `${client.readyCount}/${client.workers.length}`;
  };
  client.addEventListener("workers", showWorkers);
  showWorkers();
  client.addEventListener("loading", () => {
    if ($("status").dataset.state !== "cancelled" && !busy) {
      setStatus("loading", loadingText(manifest));
    }
  });
  client.addEventListener("ready", () => {
    if ($("status").dataset.state === "loading") {
      setStatus("ready", "Ready: choose settings, then Train or Search λ.");
    }
  });
  client.addEventListener("loaderror", ({ detail }) => {
    setStatus("error", "Python could not be loaded: see the message below.");
    showMessage(`${detail.message} Train and Search λ try loading again.`);
  });
  client.start();
  // The page starts with Train and Search disabled: until now no run could
  // start, nor be cancelled.
  setBusy(false);
}

function main() {
  for (const s of SETTINGS) {
    const control = $(s.id);
    const event = control.tagName === "SELECT" ? "change" : "input";
    control.addEventListener(event, () => onControl(s, control));
  }
  window.addEventListener("hashchange", () => {
    readHash();
    recheckFields();
  });
  readHash();
  // After the field's own listener, which marks it valid or not.
  for (const event of ["input", "change"]) {
    document.querySelector(".controls").addEventListener(event, recheckFields);
  }

  for (const id of Object.keys(TRAIN_CHARTS)) {
    draw(id, placeholderChart("Train a model or search λ to fill this chart."));
  }
  drawSearchPlaceholders();
  $("train").addEventListener("click", () => start("train"));
  $("search").addEventListener("click", () => start("search"));
  $("cancel").addEventListener("click", cancel);
  setupDatasetChooser(() => client);
  connect();
}

main();
