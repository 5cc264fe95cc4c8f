// Each chart is a pure function from a ferrolearn result to a Plotly figure
// spec ({data, layout}); main.js hands the spec to Plotly.react. No DOM here.

const TRAIN_COLOUR = "#1f5f99";
const VAL_COLOUR = "#d9730d";
const POSITIVE_COLOUR = "#1f5f99";
const NEGATIVE_COLOUR = "#b8323a";

/**
 * Names from a data set, made safe for Plotly's HTML-like text. "%" is
 * escaped too, so that a name cannot act as a hovertemplate "%{...}" field.
 */
export function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("%", "&#37;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * A lambda to three significant digits, for labels: 0.356, 1e-6, 3.04e-5.
 * The summary keeps the exact value.
 */
export function formatLambda(lam) {
  const rounded = Number(lam.toPrecision(3));
  const magnitude = Math.abs(rounded);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return rounded.toExponential().replace("e+", "e");
  }
  return String(rounded);
}

/** A chart with no data yet, saying what will fill it. */
export function placeholderChart(message) {
  return {
    data: [],
    layout: baseLayout({
      xaxis: { visible: false },
      yaxis: { visible: false },
      annotations: [
        { text: escapeHtml(message), showarrow: false, xref: "paper",
          yref: "paper", x: 0.5, y: 0.5, font: { size: 14, color: "#666" } },
      ],
    }),
  };
}

/** Training and validation log loss (without the penalty) per epoch. */
export function lossChart(train) {
  const { loss_train: lossTrain, loss_val: lossVal } = train.history;
  const epochs = [...lossTrain.keys()];
  return {
    data: [
      line(epochs, lossTrain, "training", TRAIN_COLOUR, "%{y:.6f}"),
      line(epochs, lossVal, "validation", VAL_COLOUR, "%{y:.6f}"),
    ],
    layout: baseLayout({
      hovermode: "x unified",
      xaxis: { title: { text: "epoch" } },
      yaxis: { title: { text: "log loss (cross-entropy)" } },
    }),
  };
}

/**
 * Training and validation accuracy per epoch, beside the baseline: the
 * validation accuracy of always guessing the training rows' majority class.
 */
export function accuracyChart(train) {
  const { acc_train: accTrain, acc_val: accVal } = train.history;
  const epochs = [...accTrain.keys()];
  const last = epochs.length - 1;
  return {
    data: [
      line(epochs, accTrain, "training", TRAIN_COLOUR, "%{y:.2%}"),
      line(epochs, accVal, "validation", VAL_COLOUR, "%{y:.2%}"),
      baselineLine(last, train.baseline.val,
                   "guessing the training majority (validation)"),
    ],
    layout: baseLayout({
      hovermode: "x unified",
      xaxis: { title: { text: "epoch" } },
      yaxis: { title: { text: "accuracy" }, tickformat: ".0%" },
    }),
  };
}

/** P(positive) for every sample, one row per actual class, 0.5 marked. */
export function probabilityChart(train) {
  const { positive, negative } = train.classes;
  const { p_positive: probabilities, actual } = train.probabilities;
  const rows = [
    { label: positive, code: 1, colour: POSITIVE_COLOUR },
    { label: negative, code: 0, colour: NEGATIVE_COLOUR },
  ];
  const data = rows.map(({ label, code, colour }) => {
    const x = probabilities.filter((_, i) => actual[i] === code);
    const name = `actual ${escapeHtml(label)} (${x.length})`;
    return {
      type: "box", orientation: "h", x, name, boxpoints: "all", jitter: 0.6,
      pointpos: 0, fillcolor: "rgba(0,0,0,0)", line: { color: colour },
      marker: { color: colour, size: 3, opacity: 0.45 },
      hovertemplate: `P(${escapeHtml(positive)}) = %{x:.4f}<extra>${name}</extra>`,
    };
  });
  return {
    data,
    layout: baseLayout({
      showlegend: false,
      xaxis: {
        title: { text: `predicted P(${escapeHtml(positive)})` }, range: [0, 1],
      },
      yaxis: { automargin: true },
      shapes: [
        { type: "line", xref: "x", yref: "paper", x0: 0.5, x1: 0.5, y0: 0,
          y1: 1, line: { color: "#333", dash: "dash", width: 1.5 } },
      ],
      annotations: [
        { text: "0.5: decision boundary", xref: "x", yref: "paper", x: 0.5,
          y: 1, yanchor: "bottom", showarrow: false, font: { size: 11 } },
      ],
    }),
  };
}

/** Each feature's weight as a signed bar, the largest |w| on top. */
export function weightsChart(train) {
  const order = byMagnitude(train.weights);
  const weights = order.map((name) => train.weights[name]);
  return {
    data: [
      {
        type: "bar", orientation: "h", x: weights, y: order.map(escapeHtml),
        marker: { color: weights.map(signColour) },
        hovertemplate: "%{y}: %{x:.6f}<extra></extra>",
      },
    ],
    layout: baseLayout({
      showlegend: false,
      xaxis: { title: { text: "weight (standardized feature)" }, zeroline: true },
      yaxis: { autorange: "reversed", automargin: true },
    }),
  };
}

/** Each feature's weight in every fold at the best lambda, as a strip. */
export function stabilityChart(search) {
  const order = byMagnitude(search.model.weights);
  const x = [];
  const y = [];
  const text = [];
  for (const fold of search.fold_weights) {
    for (const name of order) {
      x.push(fold.weights[name]);
      y.push(escapeHtml(name));
      text.push(`fold ${fold.fold}`);
    }
  }
  return {
    data: [
      {
        type: "box", orientation: "h", x, y, text, boxpoints: "all",
        jitter: 0.4, pointpos: 0, fillcolor: "rgba(0,0,0,0)",
        line: { color: "#777" }, marker: { color: TRAIN_COLOUR, size: 6 },
        hovertemplate: "%{y}, %{text}: %{x:.6f}<extra></extra>",
      },
    ],
    layout: baseLayout({
      showlegend: false,
      xaxis: { title: { text: "weight in each fold (standardized feature)" },
               zeroline: true },
      yaxis: { autorange: "reversed", automargin: true,
               categoryorder: "array", categoryarray: order.map(escapeHtml) },
    }),
  };
}

/**
 * Mean cross-validated accuracy against lambda on a log axis. Lambda = 0
 * cannot sit on a log axis, so it is drawn one decade left of the smallest
 * positive lambda, labelled "λ = 0" and with its true value in the hover.
 */
export function gridChart(search) {
  const positive = search.grid.filter((point) => point.lam > 0);
  const zero = search.grid.filter((point) => point.lam === 0);
  // While a search runs, λ = 0 may arrive before any positive λ.
  const smallest = positive.length > 0
    ? Math.min(...positive.map((point) => point.lam)) : search.params.lam_min;
  const zeroX = smallest / 10;
  const at = (point) => (point.lam === 0 ? zeroX : point.lam);

  const folds = { x: [], y: [], text: [] };
  for (const point of search.grid) {
    point.fold_accuracy.forEach((accuracy, f) => {
      folds.x.push(at(point));
      folds.y.push(accuracy);
      folds.text.push(`λ = ${formatLambda(point.lam)}, fold ${f + 1}`);
    });
  }
  const best = search.grid.find((point) => point.lam === search.best_lam);
  const bestName = best ? `best λ = ${formatLambda(best.lam)}`
    : "best λ (once all are in)";
  const data = [
    {
      type: "scatter", mode: "markers", name: "each fold", ...folds,
      marker: { color: "#bbb", size: 5 },
      hovertemplate: "%{text}: %{y:.2%}<extra></extra>",
    },
    {
      type: "scatter", mode: "lines+markers", name: "mean of the folds",
      x: positive.map((point) => point.lam),
      y: positive.map((point) => point.mean_accuracy),
      line: { color: TRAIN_COLOUR }, marker: { size: 6 },
      hovertemplate: "λ = %{x:.3g}: %{y:.2%}<extra>mean</extra>",
    },
    {
      type: "scatter", mode: "markers", name: "λ = 0 (no penalty)",
      x: zero.map(() => zeroX), y: zero.map((point) => point.mean_accuracy),
      marker: { color: VAL_COLOUR, size: 10, symbol: "diamond" },
      hovertemplate: "λ = 0: %{y:.2%}<extra>mean</extra>",
    },
    {
      type: "scatter", mode: "markers", name: bestName,
      x: best ? [at(best)] : [], y: best ? [best.mean_accuracy] : [],
      marker: { color: "#2a9d4b", size: 16, symbol: "star",
                line: { color: "#111", width: 1 } },
      hovertemplate: `${bestName}: %{y:.2%}<extra></extra>`,
    },
  ];
  return {
    data,
    layout: baseLayout({
      xaxis: { title: { text: "λ (penalty strength, log scale)" }, type: "log",
               exponentformat: "power" },
      yaxis: { title: { text: "cross-validated accuracy" }, tickformat: ".1%" },
      // A point still running has fold dots but no mean yet.
      annotations: zero.filter((point) => point.mean_accuracy !== null)
        .map((point) => ({
          text: "λ = 0", x: Math.log10(zeroX), y: point.mean_accuracy,
          xref: "x", yref: "y", yshift: 14, showarrow: false,
          font: { size: 11, color: VAL_COLOUR },
        })),
    }),
  };
}

function line(x, y, name, colour, format) {
  return {
    type: "scatter", mode: "lines", name, x, y, line: { color: colour, width: 2 },
    hovertemplate: `${format}<extra>${name}</extra>`,
  };
}

function baselineLine(lastEpoch, accuracy, name) {
  return {
    type: "scatter", mode: "lines", name, x: [0, lastEpoch],
    y: [accuracy, accuracy], line: { color: "#777", dash: "dot", width: 1.5 },
    hovertemplate: `%{y:.2%}<extra>${name}</extra>`,
  };
}

function byMagnitude(weights) {
  return Object.keys(weights).sort(
    (a, b) => Math.abs(weights[b]) - Math.abs(weights[a]),
  );
}

function signColour(weight) {
  return weight >= 0 ? POSITIVE_COLOUR : NEGATIVE_COLOUR;
}

function baseLayout(extra) {
  return {
    autosize: true,
    margin: { l: 64, r: 16, t: 36, b: 8 },
    font: { family: "system-ui, sans-serif", size: 12 },
    // Below the plot: above it, the modebar covers it on a narrow screen.
    // The axis makes room for its title; the legend pushes the margin.
    legend: { orientation: "h", x: 0, y: 0, yref: "container",
              yanchor: "bottom" },
    ...extra,
    xaxis: { automargin: true, ...extra.xaxis },
  };
}
