import assert from "node:assert/strict";
import { test } from "node:test";

import {
  MAX_BYTES, MAX_LISTED, balanceWarned, chosenFeatures, datasetSpec,
  describeFile, describeResult, featureColumns, fileProblem, initialChoices,
  parseSeed, positivePrompt, sizeProblem, skippedColumns, targetColumns,
  targetPrompt, withFeature, withTarget,
} from "../../../web/dataset.js";

// The shape ferrolearn.csvdata.inspect_csv gives, cut down to what matters.
const preview = {
  columns: ["length", "width", "colour", "label"],
  numeric: ["length", "width"],
  n_rows: 12,
  delimiter: ",",
  head: [["0.52", "0.41", "red", "yes"]],
  default_target: "label",
  targets: {
    width: { values: ["0.26", "0.27"], counts: [1, 1], n_values: 11,
             n_empty: 0, default_positive: null },
    colour: { values: ["blue", "green", "red"], counts: [4, 3, 5],
              n_values: 3, n_empty: 0, default_positive: null },
    label: { values: ["no", "yes"], counts: [6, 6], n_values: 2, n_empty: 0,
             default_positive: "yes" },
  },
  notes: [],
};
const file = { serial: 3, name: "comma.csv", bytes: new Uint8Array([1, 2]),
               preview };

test("a fresh file starts from Python's defaults", () => {
  assert.deepEqual(initialChoices(preview), {
    target: "label", positive: "yes", excluded: [], shuffle: false, seed: 0,
  });
  assert.deepEqual(targetColumns(preview), ["width", "colour", "label"]);
  assert.deepEqual(featureColumns(preview, "label"), ["length", "width"]);
  assert.deepEqual(featureColumns(preview, "width"), ["length"]);
  assert.deepEqual(skippedColumns(preview, "label"), ["colour"]);
  assert.deepEqual(skippedColumns(preview, "colour"), ["label"]);
});

test("the default spec leaves features to Python and shuffles nothing", () => {
  const spec = datasetSpec(file, initialChoices(preview));
  assert.deepEqual(
    { ...spec, key: undefined },
    { key: undefined, name: "comma.csv", target: "label", positive: "yes",
      features: null, shuffle: null, bytes: file.bytes },
  );
  assert.equal(spec.bytes, file.bytes);
});

test("another target takes its own default positive class", () => {
  const choices = withTarget(initialChoices(preview), preview, "colour");
  assert.equal(choices.positive, null);
  assert.match(positivePrompt(preview, choices), /colour has 3 values: choose/);
  const chosen = { ...choices, positive: "red" };
  assert.match(positivePrompt(preview, chosen), /Every other value of colour/);
  assert.equal(positivePrompt(preview, initialChoices(preview)), "");
  assert.equal(datasetSpec(file, chosen).positive, "red");
});

test("a long list of values says how many are shown", () => {
  const choices = withTarget(initialChoices(preview), preview, "width");
  assert.match(positivePrompt(preview, choices),
    /width has 11 values \(the 2 most frequent of 11 are listed\)/);
});

test("left-out features are named in file order; none left is an empty list", () => {
  let choices = withFeature(initialChoices(preview), "width", false);
  assert.deepEqual(chosenFeatures(preview, choices), ["length"]);
  choices = withFeature(choices, "length", false);
  assert.deepEqual(chosenFeatures(preview, choices), []);
  choices = withFeature(withFeature(choices, "width", true), "length", true);
  assert.equal(chosenFeatures(preview, choices), null);
  // A left-out column that becomes the target is not a feature either way.
  choices = withTarget(withFeature(choices, "width", false), preview, "width");
  assert.equal(chosenFeatures(preview, choices), null);
});

test("the key changes with the file and with every choice", () => {
  const base = initialChoices(preview);
  const keys = [
    datasetSpec(file, base),
    datasetSpec({ ...file, serial: 4 }, base),
    datasetSpec(file, withTarget(base, preview, "colour")),
    datasetSpec(file, { ...base, positive: "no" }),
    datasetSpec(file, withFeature(base, "width", false)),
    datasetSpec(file, { ...base, shuffle: true }),
    datasetSpec(file, { ...base, shuffle: true, seed: 1 }),
  ].map((spec) => spec.key);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(datasetSpec(file, base).key, keys[0]);
  assert.equal(datasetSpec(file, { ...base, seed: 5 }).key, keys[0]);
});

test("the shuffle seed is used only when the shuffle is on", () => {
  const choices = { ...initialChoices(preview), seed: 7 };
  assert.equal(datasetSpec(file, choices).shuffle, null);
  assert.equal(datasetSpec(file, { ...choices, shuffle: true }).shuffle, 7);
  assert.equal(datasetSpec(file, { ...choices, shuffle: true, seed: 0 }).shuffle,
    0);
});

// x1,x2,cls with cls "a" in every row: Python preselects no target.
const many = (n) => ({ values: ["1", "2"], counts: [1, 1], n_values: n,
                       n_empty: 0, default_positive: null });
const constant = {
  ...preview, columns: ["x1", "x2", "cls"], numeric: ["x1", "x2"],
  default_target: null, targets: { x1: many(12), x2: many(9) },
};

test("no target chosen is an error saying what to choose and why", () => {
  const chosen = { ...initialChoices(constant), target: null };
  assert.throws(() => datasetSpec({ ...file, preview: constant }, chosen), {
    message: "Choose the column of comma.csv to predict (the target) first. " +
      targetPrompt(constant, chosen),
  });
});

test("without a preselected target the page says why", () => {
  const choices = initialChoices(constant);
  assert.equal(choices.target, null);
  assert.equal(targetPrompt(constant, choices),
    "No column looks like two classes to predict: cls has fewer than two " +
    "different values, so it cannot be predicted; x1 and x2 hold numbers with " +
    "three or more different values. Choose one only if its values are " +
    "classes; otherwise add a column holding the two classes.");
  assert.equal(targetPrompt(constant, { ...choices, target: "x1" }), "");
  assert.equal(targetPrompt(preview, initialChoices(preview)), "");

  const names = ["a", "b", "c", "d", "e", "f"];
  const ids = {
    ...preview, columns: names, numeric: [], default_target: null,
    targets: Object.fromEntries(names.map((n) => [n, many(MAX_LISTED + 1)])),
  };
  assert.match(targetPrompt(ids, initialChoices(ids)),
    /: a, b, c and 3 more have more than 50 different values\. /);
});

test("a file of one column, or with nothing to tell apart, is refused", () => {
  assert.equal(fileProblem("comma.csv", preview), null);
  assert.equal(fileProblem("c.csv", constant), null);
  const piped = { ...preview, columns: ["x1|x2|cls"], numeric: [],
                  targets: { "x1|x2|cls": many(12) } };
  assert.equal(fileProblem("p.txt", piped),
    'Only one column was found in p.txt, headed "x1|x2|cls": ferrolearn ' +
    "reads files whose columns are separated by commas, semicolons or " +
    "tabs. Save the file in one of those forms and choose it again.");
  assert.match(fileProblem("k.csv", { ...constant, targets: {} }),
    /^k\.csv has no column with two or more different values/);
});

test("seeds are whole numbers from 0", () => {
  assert.deepEqual(parseSeed("0"), { value: 0 });
  assert.deepEqual(parseSeed("2147483647"), { value: 2147483647 });
  for (const text of ["", " ", "-1", "1.5", "abc", "2147483648", "1e400"]) {
    assert.ok("error" in parseSeed(text), text);
  }
});

test("files over the limit are refused, saying the limit and what to do", () => {
  assert.equal(MAX_BYTES, 20_000_000);
  assert.equal(sizeProblem("a.csv", MAX_BYTES), null);
  assert.equal(sizeProblem("a.csv", 0), null);
  assert.equal(
    sizeProblem("big.csv", 25_300_000),
    "big.csv is 25.3 MB, larger than the limit of 20 MB (20,000,000 bytes); " +
    "use a smaller file, with fewer rows or columns.",
  );
  assert.notEqual(sizeProblem("a.csv", MAX_BYTES + 1), null);
});

test("class-balance warnings are told from the others", () => {
  assert.equal(balanceWarned([]), false);
  assert.equal(balanceWarned(undefined), false);
  assert.equal(balanceWarned(["x is constant in the training rows: its weight " +
    "stays 0."]), false);
  assert.equal(balanceWarned(["The validation set (the last 2 rows) holds only " +
    "the positive class 'yes', so its loss and accuracy say little"]), true);
  assert.equal(balanceWarned(["Cross-validation fold 2 of 5 trains on one " +
    "class only, so its model learns nothing"]), true);
});

test("results and files are described with their own names", () => {
  assert.equal(
    describeResult({ target: "<b>kind</b>",
                     classes: { positive: "a&b", negative: "not a&b" } }),
    "Predicting <b>kind</b>: a&b (positive) or not a&b.",
  );
  assert.equal(describeFile("comma.csv", preview),
    "comma.csv: 12 rows, 4 columns, comma-separated.");
  assert.equal(
    describeFile("t.tsv", { ...preview, n_rows: 1, columns: ["a"],
                            delimiter: "\t" }),
    "t.tsv: 1 row, 1 column, tab-separated.");
});
