// The dataset chooser: abalone, or the person's own CSV file with the choices
// that make it a data set (target, positive class, features, shuffle).
// The pure functions turn a preview from Python (csvdata.inspect_csv) and the
// choices into the spec the worker hands to study.load_dataset; the rest
// reads the file and fills the controls. Python parses the file: nothing
// here reads CSV or does maths. Names go into the page as text only.

import { CancelledError } from "./client.js";

/**
 * The largest file Python reads (ferrolearn.csvdata.MAX_BYTES). The page
 * refuses a larger one before reading it, so that it never holds it at all.
 */
export const MAX_BYTES = 20_000_000;

/** The words of the class-balance warnings that shuffling can cure. */
const BALANCE_WORDS = ["holds only", "one class"];

const bytes = new Intl.NumberFormat("en");

/** Why a file of `size` bytes is refused, or null when it may be read. */
export function sizeProblem(name, size) {
  if (size <= MAX_BYTES) return null;
  const megabytes = (size / 1e6).toFixed(1);
  return `${name} is ${megabytes} MB, larger than the limit of 20 MB ` +
    `(${bytes.format(MAX_BYTES)} bytes); use a smaller file, with fewer rows ` +
    "or columns.";
}

/**
 * The most values of a target Python lists (csvdata.MAX_LISTED_VALUES); a
 * text column with more is not preselected as the target.
 */
export const MAX_LISTED = 50;

/** The columns that can be the target (two or more values), in file order. */
export function targetColumns(preview) {
  return preview.columns.filter((column) => column in preview.targets);
}

/** The numeric columns offered as features when `target` is predicted. */
export function featureColumns(preview, target) {
  return preview.numeric.filter((column) => column !== target);
}

/** The non-numeric columns besides the target: never features. */
export function skippedColumns(preview, target) {
  return preview.columns.filter(
    (column) => column !== target && !preview.numeric.includes(column),
  );
}

/**
 * Why a file read as `preview` cannot be used at all, in words, or null when
 * it can: it has a single column, or no column with two values to tell apart.
 */
export function fileProblem(name, preview) {
  if (preview.columns.length === 1) {
    return `Only one column was found in ${name}, headed ` +
      `"${preview.columns[0]}": ferrolearn reads files whose columns are ` +
      "separated by commas, semicolons or tabs. Save the file in one of " +
      "those forms and choose it again.";
  }
  if (targetColumns(preview).length === 0) {
    return `${name} has no column with two or more different values, so ` +
      "there is nothing to predict; add a column with the classes.";
  }
  return null;
}

/**
 * Why no target is chosen yet, in words (Python preselects none), or ""
 * once one is: which columns cannot be predicted, and which could be but
 * hold numbers or text with too many values to look like classes.
 */
export function targetPrompt(preview, choices) {
  if (choices.target !== null) return "";
  const offered = targetColumns(preview);
  const constant = preview.columns.filter((column) => !offered.includes(column));
  const numbers = offered.filter((column) => preview.numeric.includes(column));
  const texts = offered.filter((column) => !preview.numeric.includes(column));
  const reasons = [];
  if (constant.length > 0) {
    const [verb, pronoun] = constant.length === 1 ? ["has", "it"] : ["have", "they"];
    reasons.push(`${listing(constant)} ${verb} fewer than two different values, ` +
      `so ${pronoun} cannot be predicted`);
  }
  if (numbers.length > 0) {
    reasons.push(`${listing(numbers)} ${numbers.length === 1 ? "holds" : "hold"} ` +
      "numbers with three or more different values");
  }
  if (texts.length > 0) {
    reasons.push(`${listing(texts)} ${texts.length === 1 ? "has" : "have"} ` +
      `more than ${MAX_LISTED} different values`);
  }
  return `No column looks like two classes to predict: ${reasons.join("; ")}. ` +
    "Choose one only if its values are classes; otherwise add a column " +
    "holding the two classes.";
}

/**
 * The choices a fresh preview starts with: Python's default target and its
 * default positive class, every numeric column a feature, no shuffle.
 */
export function initialChoices(preview) {
  const target = preview.default_target;
  return {
    target,
    positive: defaultPositive(preview, target),
    excluded: [],
    shuffle: false,
    seed: 0,
  };
}

/** The choices with another target: its own default positive class. */
export function withTarget(choices, preview, target) {
  return { ...choices, target, positive: defaultPositive(preview, target) };
}

/** The choices with feature `column` left out (or put back). */
export function withFeature(choices, column, used) {
  const excluded = choices.excluded.filter((name) => name !== column);
  return { ...choices, excluded: used ? excluded : [...excluded, column] };
}

/**
 * The features to ask for: null (every numeric column but the target, as
 * Python chooses by default) unless some were left out, then the rest in
 * file order; an empty list lets Python say that none are chosen.
 */
export function chosenFeatures(preview, choices) {
  const offered = featureColumns(preview, choices.target);
  if (!offered.some((column) => choices.excluded.includes(column))) return null;
  return offered.filter((column) => !choices.excluded.includes(column));
}

/**
 * The dataset a run uses, as client.run takes it. `file` is
 * {serial, name, bytes, preview}; `key` changes with the file or any choice,
 * so the worker can keep a data set it has read. Throws an Error saying what
 * to choose when no target is chosen.
 */
export function datasetSpec(file, choices) {
  if (choices.target === null) {
    throw Error(
      `Choose the column of ${file.name} to predict (the target) first. ` +
      targetPrompt(file.preview, choices),
    );
  }
  const spec = {
    name: file.name,
    target: choices.target,
    positive: choices.positive,
    features: chosenFeatures(file.preview, choices),
    shuffle: choices.shuffle ? choices.seed : null,
  };
  return { key: `${file.serial}:${JSON.stringify(spec)}`, ...spec,
           bytes: file.bytes };
}

/** A seed as typed: {value} for a whole number 0 … 2³¹ − 1, else {error}. */
export function parseSeed(text) {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0 ||
      value > 2 ** 31 - 1) {
    return { error: "Needs a whole number from 0 to 2147483647." };
  }
  return { value };
}

/** Whether a result warns that a split holds one class only. */
export function balanceWarned(warnings) {
  return (warnings ?? []).some(
    (warning) => BALANCE_WORDS.some((words) => warning.includes(words)),
  );
}

/** What a result predicts, in words: "sex: M (positive) or F". */
export function describeResult(result) {
  const { positive, negative } = result.classes;
  return `Predicting ${result.target}: ${positive} (positive) or ${negative}.`;
}

/** A file in one line: "data.csv: 12 rows, 4 columns, comma-separated." */
export function describeFile(name, preview) {
  const delimiters = { ",": "comma", ";": "semicolon", "\t": "tab" };
  const rows = preview.n_rows === 1 ? "row" : "rows";
  return `${name}: ${bytes.format(preview.n_rows)} ${rows}, ` +
    `${preview.columns.length} column${preview.columns.length === 1 ? "" : "s"}, ` +
    `${delimiters[preview.delimiter] ?? "delimiter"}-separated.`;
}

/** What to say beside the positive-class choice, or "" when nothing. */
export function positivePrompt(preview, choices) {
  const target = preview.targets[choices.target];
  if (!target) return "";
  const listed = target.values.length < target.n_values
    ? ` (the ${target.values.length} most frequent of ${target.n_values} ` +
      "are listed)"
    : "";
  if (choices.positive === null) {
    return `${choices.target} has ${target.n_values} values${listed}: choose ` +
      "the positive one; every other value is the negative class.";
  }
  if (target.n_values > 2) {
    return `Every other value of ${choices.target} is the negative ` +
      `class${listed}.`;
  }
  return "";
}

/** Names for a sentence: "a", "a and b", "a, b, c and 4 more". */
function listing(names, limit = 4) {
  const shown = names.length > limit ? names.slice(0, limit - 1) : names;
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  return new Intl.ListFormat("en").format(shown);
}

function defaultPositive(preview, target) {
  return preview.targets[target]?.default_positive ?? null;
}

// The page's part. Everything below touches the DOM and nothing above does.

const ABALONE = "abalone";
const FILE = "file";
const $ = (id) => document.getElementById(id);

const chooser = {
  selected: ABALONE,
  file: null,
  choices: null,
  serial: 0,
  reading: 0,
  getClient: () => null,
};

/**
 * The dataset the next run uses: null for abalone, else the spec of the
 * file with the person's choices (see datasetSpec).
 */
export function currentDataset() {
  if (chooser.selected === ABALONE || chooser.file === null) return null;
  return datasetSpec(chooser.file, chooser.choices);
}

/**
 * Wire the chooser's controls. `getClient()` gives the page's client, or
 * null while the page is still starting.
 */
export function setupDatasetChooser(getClient) {
  chooser.getClient = getClient;
  const input = $("dataset-file");
  input.addEventListener("change", () => {
    if (input.files.length > 0) readFile(input.files[0]);
    // Choosing the same file again, after editing it, must read it again.
    input.value = "";
  });
  setupDropZone($("dataset-drop"));
  $("dataset").addEventListener("change", () => {
    chooser.selected = $("dataset").value;
    showReading("", "");
    render();
  });
  $("target").addEventListener("change", () => {
    chooser.choices = withTarget(chooser.choices, chooser.file.preview,
                                 $("target").value);
    render();
  });
  $("positive-class").addEventListener("change", () => {
    chooser.choices = { ...chooser.choices,
                        positive: $("positive-class").value || null };
    render();
  });
  $("features").addEventListener("change", ({ target }) => {
    chooser.choices = withFeature(chooser.choices, target.value, target.checked);
  });
  $("shuffle").addEventListener("change", () => {
    chooser.choices = { ...chooser.choices, shuffle: $("shuffle").checked };
    $("shuffle-seed").disabled = !chooser.choices.shuffle;
  });
  $("shuffle-seed").addEventListener("input", () => {
    const parsed = parseSeed($("shuffle-seed").value);
    const invalid = "error" in parsed;
    if (invalid) $("shuffle-seed").setAttribute("aria-invalid", "true");
    else $("shuffle-seed").removeAttribute("aria-invalid");
    $("shuffle-seed-error").textContent = invalid ? parsed.error : "";
    if (!invalid) chooser.choices = { ...chooser.choices, seed: parsed.value };
  });
  render();
}

/**
 * Show what a result is about, and point at the shuffle when it warns that
 * a split holds one class only.
 */
export function showResultContext(result) {
  $("result-data").textContent = describeResult(result);
  const warned = balanceWarned(result.warnings);
  $("shuffle-advice").hidden = !warned;
  $("shuffle-option").classList.toggle("attention", warned);
}

function setupDropZone(zone) {
  const hasFiles = (event) => event.dataTransfer?.types.includes("Files");
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dragging");
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer.files.length > 0) readFile(event.dataTransfer.files[0]);
  });
  // A file dropped beside the zone would otherwise replace the page.
  for (const name of ["dragover", "drop"]) {
    window.addEventListener(name, (event) => {
      if (hasFiles(event) && !zone.contains(event.target)) {
        event.preventDefault();
      }
    });
  }
}

async function readFile(file) {
  const token = ++chooser.reading;
  const refused = sizeProblem(file.name, file.size);
  if (refused) {
    showReading("", refused);
    return;
  }
  const client = chooser.getClient();
  if (client === null) {
    showReading("", "The page is still starting; choose the file again in a " +
      "moment.");
    return;
  }
  showReading(`Reading ${file.name}…`, "");
  let data;
  let preview;
  try {
    data = new Uint8Array(await file.arrayBuffer());
    preview = await client.inspect(data, file.name);
  } catch (error) {
    if (token !== chooser.reading) return;
    showReading("", error instanceof CancelledError
      ? `Reading ${file.name} was stopped by Cancel; choose it again.`
      : error.message);
    return;
  }
  if (token !== chooser.reading) return;
  const unusable = fileProblem(file.name, preview);
  if (unusable) {
    showReading("", unusable);
    return;
  }
  chooser.serial += 1;
  chooser.file = { serial: chooser.serial, name: file.name, bytes: data, preview };
  chooser.choices = initialChoices(preview);
  chooser.selected = FILE;
  showReading(`${file.name} is read: choose the target and features, then ` +
    "Train or Search λ.", "");
  render();
}

function showReading(status, error) {
  $("dataset-status").textContent = status;
  $("dataset-error").textContent = error;
  $("dataset-error").hidden = error === "";
}

function render() {
  const { file, choices } = chooser;
  const options = [option(ABALONE, "abalone (M vs F)")];
  if (file) options.push(option(FILE, file.name));
  $("dataset").replaceChildren(...options);
  $("dataset").value = chooser.selected;
  $("dataset-choices").hidden = chooser.selected !== FILE || file === null;
  if (file === null) return;
  const { preview } = file;

  $("dataset-summary").textContent = describeFile(file.name, preview);
  const targets = targetColumns(preview).map((column) => option(column, column));
  if (choices.target === null) {
    targets.unshift(option("", "choose the column to predict"));
  }
  $("target").replaceChildren(...targets);
  $("target").value = choices.target ?? "";
  $("target-prompt").textContent = targetPrompt(preview, choices);

  const values = preview.targets[choices.target]?.values ?? [];
  const positives = values.map((value) => option(value, value));
  if (choices.positive === null) {
    positives.unshift(option("", "choose the positive class"));
  }
  $("positive-class").replaceChildren(...positives);
  $("positive-class").value = choices.positive ?? "";
  $("positive-prompt").textContent = positivePrompt(preview, choices);

  $("features").replaceChildren(
    ...featureColumns(preview, choices.target).map((column) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = column;
      box.checked = !choices.excluded.includes(column);
      const label = document.createElement("label");
      label.append(box, document.createTextNode(column));
      return label;
    }),
  );
  const skipped = skippedColumns(preview, choices.target);
  $("features-skipped").textContent = skipped.length === 0 ? ""
    : `Not numeric, so not offered as features: ${skipped.join(", ")}.`;

  $("dataset-notes").replaceChildren(...preview.notes.map((note) => {
    const item = document.createElement("li");
    item.textContent = note;
    return item;
  }));
  showHead(preview);

  $("shuffle").checked = choices.shuffle;
  $("shuffle-seed").value = String(choices.seed);
  $("shuffle-seed").disabled = !choices.shuffle;
  $("shuffle-seed").removeAttribute("aria-invalid");
  $("shuffle-seed-error").textContent = "";
}

function showHead(preview) {
  const cell = (tag, text) => {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  };
  const header = document.createElement("tr");
  header.append(...preview.columns.map((column) => cell("th", column)));
  $("dataset-head").tHead.replaceChildren(header);
  $("dataset-head").tBodies[0].replaceChildren(...preview.head.map((row) => {
    const line = document.createElement("tr");
    line.append(...row.map((text) => cell("td", text)));
    return line;
  }));
}

function option(value, text) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  return element;
}
