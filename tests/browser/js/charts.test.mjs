import assert from "node:assert/strict";
import { test } from "node:test";

import {
  accuracyChart, escapeHtml, formatLambda, gridChart, lossChart,
  placeholderChart, probabilityChart, stabilityChart, weightsChart,
} from "../../../web/charts.js";

const train = {
  classes: { positive: "<b>M</b>", negative: "F&co" },
  features: ["a<br>", "b"],
  bias: 0.1,
  weights: { "a<br>": -0.2, b: 0.5 },
  history: {
    loss_train: [0.69, 0.6, 0.5], loss_val: [0.69, 0.65, 0.6],
    acc_train: [0.5, 0.6, 0.7], acc_val: [0.5, 0.55, 0.6],
  },
  baseline: { train: 0.54, val: 0.53 },
  probabilities: { p_positive: [0.2, 0.7, 0.4], actual: [0, 1, 1] },
};
const search = {
  grid: [
    { lam: 0, mean_accuracy: 0.55, fold_accuracy: [0.5, 0.6] },
    { lam: 0.01, mean_accuracy: 0.57, fold_accuracy: [0.56, 0.58] },
    { lam: 1, mean_accuracy: 0.52, fold_accuracy: [0.5, 0.54] },
  ],
  best_lam: 0.01,
  fold_weights: [
    { fold: 1, bias: 0, weights: { "a<br>": -0.1, b: 0.4 } },
    { fold: 2, bias: 0, weights: { "a<br>": -0.3, b: 0.6 } },
  ],
  model: train,
};

const text = (figure) => JSON.stringify(figure);

test("names are escaped so Plotly shows them as typed", () => {
  assert.equal(escapeHtml(`<a href="x">'&`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
  assert.equal(escapeHtml("%{x}"), "&#37;{x}");
  for (const chart of [probabilityChart(train), weightsChart(train),
    stabilityChart(search)]) {
    assert.doesNotMatch(text(chart), /<b>|<br>|F&co/);
  }
  assert.match(text(probabilityChart(train)), /&lt;b&gt;M&lt;\/b&gt;/);
  assert.doesNotMatch(text(placeholderChart("<i>soon</i>")), /<i>/);
});

test("loss and accuracy charts plot both series over every epoch", () => {
  const loss = lossChart(train);
  assert.deepEqual(loss.data.map((trace) => trace.y),
    [train.history.loss_train, train.history.loss_val]);
  assert.deepEqual(loss.data[0].x, [0, 1, 2]);
  assert.ok(loss.layout.xaxis.title.text && loss.layout.yaxis.title.text);

  const accuracy = accuracyChart(train);
  assert.deepEqual(accuracy.data[1].y, train.history.acc_val);
  assert.deepEqual(accuracy.data[2].y, [0.53, 0.53]);
});

test("the probability chart has one row per actual class and marks 0.5", () => {
  const figure = probabilityChart(train);
  assert.deepEqual(figure.data.map((trace) => trace.x), [[0.7, 0.4], [0.2]]);
  assert.equal(figure.layout.shapes[0].x0, 0.5);
});

test("weights are sorted by size, sign kept", () => {
  const bars = weightsChart(train).data[0];
  assert.deepEqual(bars.x, [0.5, -0.2]);
  assert.deepEqual(bars.y, ["b", "a&lt;br&gt;"]);
});

test("the stability chart has every fold's weight of every feature", () => {
  const strip = stabilityChart(search).data[0];
  assert.deepEqual(strip.x, [0.4, -0.1, 0.6, -0.3]);
  assert.deepEqual(strip.text, ["fold 1", "fold 1", "fold 2", "fold 2"]);
});

test("the grid chart keeps lambda = 0, apart and labelled", () => {
  const figure = gridChart(search);
  const [folds, means, zero, best] = figure.data;
  assert.equal(figure.layout.xaxis.type, "log");
  assert.deepEqual(means.x, [0.01, 1]);
  assert.deepEqual(zero.y, [0.55]);
  assert.ok(zero.x[0] > 0 && zero.x[0] < 0.01);
  assert.equal(folds.y.length, 6);
  assert.deepEqual([best.x, best.y], [[0.01], [0.57]]);
  assert.equal(figure.layout.annotations[0].text, "λ = 0");
});

test("a best lambda of 0 is starred at the lambda = 0 marker", () => {
  const figure = gridChart({ ...search, best_lam: 0 });
  const [, , zero, best] = figure.data;
  assert.deepEqual(best.x, zero.x);
});

test("lambdas in labels have three significant digits", () => {
  assert.equal(formatLambda(0.35622478902624444), "0.356");
  assert.equal(formatLambda(1e-6), "1e-6");
  assert.equal(formatLambda(3.0391953823131e-5), "3.04e-5");
  assert.equal(formatLambda(0), "0");
  assert.equal(formatLambda(10), "10");
  const figure = gridChart({
    ...search, best_lam: 0.35622478902624444,
    grid: [...search.grid, { lam: 0.35622478902624444, mean_accuracy: 0.6,
                             fold_accuracy: [0.6, 0.6] }],
  });
  const [folds, , , best] = figure.data;
  assert.equal(best.name, "best λ = 0.356");
  assert.match(best.hovertemplate, /^best λ = 0\.356: /);
  assert.equal(folds.text[6], "λ = 0.356, fold 1");
  // The points themselves stay where the exact lambda puts them.
  assert.equal(best.x[0], 0.35622478902624444);
});

test("the legend sits below the plot, clear of the modebar", () => {
  for (const figure of [lossChart(train), accuracyChart(train), gridChart(search)]) {
    assert.equal(figure.layout.legend.yref, "container");
    assert.equal(figure.layout.legend.yanchor, "bottom");
    assert.equal(figure.layout.xaxis.automargin, true);
  }
  assert.equal(accuracyChart(train).data[2].name,
    "guessing the training majority (validation)");
});
