// The page's settings as a declarative table, and their URL-hash form.
// Pure: no DOM, no globals. The hash keys are the control ids.

/** Every setting: its control id, its key in the Python params, its range. */
export const SETTINGS = [
  { id: "alpha", param: "alpha", kind: "log", min: 1e-5, max: 1, value: 0.01 },
  { id: "epochs", param: "epochs", kind: "int", min: 100, max: 30000,
    step: 100, value: 5000 },
  { id: "penalty", param: "penalty", kind: "choice",
    choices: ["none", "l2", "l1"], value: "l2" },
  { id: "lambda", param: "lam", kind: "log", min: 1e-6, max: 10, value: 0.01 },
  { id: "cv-epochs", param: "cv_epochs", kind: "int", min: 100, max: 25000,
    step: 100, value: 5000 },
  { id: "grid-min", param: "lam_min", kind: "positive", value: 1e-6 },
  { id: "grid-max", param: "lam_max", kind: "positive", value: 10 },
  { id: "grid-steps", param: "steps", kind: "int", min: 1, max: 100, step: 1,
    value: 30 },
];

/** The page has no folds control: cross-validation always uses five. */
export const FOLDS = 5;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The setting with control id `id`; throws for an unknown id. */
export function setting(id) {
  const found = SETTINGS.find((s) => s.id === id);
  if (!found) throw Error(`No setting has the id "${id}".`);
  return found;
}

/** The default value of every setting, keyed by control id. */
export function defaults() {
  return Object.fromEntries(SETTINGS.map((s) => [s.id, s.value]));
}

/** What a setting accepts, in words, for messages. */
export function describe(s) {
  switch (s.kind) {
    case "log":
      return `a number from ${formatValue(s, s.min)} to ${formatValue(s, s.max)}`;
    case "int":
      return `a whole number from ${s.min} to ${s.max}`;
    case "choice":
      return `one of ${s.choices.join(", ")}`;
    default:
      return "a number above 0";
  }
}

/**
 * Read one setting from text.
 * Returns {value} when the text is allowed, otherwise {error} in words.
 */
export function parseValue(s, text) {
  const bad = { error: `${s.id}=${text} is not ${describe(s)}` };
  if (s.kind === "choice") {
    return s.choices.includes(text) ? { value: text } : bad;
  }
  if (!DECIMAL.test(text)) return bad;
  const value = Number(text);
  if (!Number.isFinite(value)) return bad;
  if (s.kind === "positive") return value > 0 ? { value } : bad;
  if (s.kind === "int" && !Number.isInteger(value)) return bad;
  return value >= s.min && value <= s.max ? { value } : bad;
}

/** The exact text of a value: shortest round-trip form, no "+" signs. */
export function formatValue(s, value) {
  if (s.kind === "choice") return value;
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    return value.toExponential().replace("e+", "e");
  }
  return String(value);
}

/**
 * Read the settings from a URL hash ("#alpha=0.01&epochs=5000...").
 * Returns {state, problems}: a missing key takes its default silently; a bad
 * value or an unknown key takes the default and adds a sentence to problems.
 */
export function parseHash(hash) {
  const state = defaults();
  const problems = [];
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const cut = pair.indexOf("=");
    const key = decode(cut < 0 ? pair : pair.slice(0, cut));
    const text = cut < 0 ? "" : decode(pair.slice(cut + 1));
    const s = SETTINGS.find((candidate) => candidate.id === key);
    if (!s) {
      problems.push(`The address names an unknown setting "${key}"; ignored.`);
      continue;
    }
    const parsed = parseValue(s, text);
    if ("error" in parsed) {
      state[s.id] = s.value;
      const fallback = formatValue(s, s.value);
      problems.push(`${parsed.error}; using the default ${fallback}.`);
    } else {
      state[s.id] = parsed.value;
    }
  }
  return { state, problems };
}

/** The URL hash (without "#") of a state, keys in table order. */
export function serializeHash(state) {
  return SETTINGS.map(
    (s) => `${s.id}=${encodeURIComponent(formatValue(s, state[s.id]))}`,
  ).join("&");
}

/** The params dict the Python `train` and `search` take. */
export function toParams(state) {
  const params = Object.fromEntries(SETTINGS.map((s) => [s.param, state[s.id]]));
  return { ...params, folds: FOLDS };
}

/** Where a range input sits for a value (log sliders move in decades). */
export function sliderPosition(s, value) {
  return s.kind === "log" ? Math.log10(value) : value;
}

/**
 * The value a range input's position stands for. Log positions give three
 * significant digits, so that a person lands on 0.01 rather than 0.0099999.
 */
export function sliderValue(s, position) {
  const number = Number(position);
  return s.kind === "log" ? Number((10 ** number).toPrecision(3)) : number;
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
