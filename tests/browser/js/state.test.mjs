import assert from "node:assert/strict";
import { test } from "node:test";

import {
  SETTINGS, defaults, formatValue, parseHash, parseValue, serializeHash, setting,
  sliderPosition, sliderValue, toParams,
} from "../../../web/state.js";

const DEFAULT_HASH =
  "alpha=0.01&epochs=5000&penalty=l2&lambda=0.01&cv-epochs=5000" +
  "&grid-min=1e-6&grid-max=10&grid-steps=30";

test("an empty hash gives the defaults without complaint", () => {
  assert.deepEqual(parseHash(""), { state: defaults(), problems: [] });
  assert.equal(serializeHash(defaults()), DEFAULT_HASH);
});

test("every value survives a round trip through the hash exactly", () => {
  const state = {
    ...defaults(), alpha: 0.0123456789, epochs: 1234, penalty: "l1",
    lambda: 3.3e-6, "grid-min": 1.5e-7, "grid-max": 2.5e6, "grid-steps": 7,
  };
  const { state: back, problems } = parseHash(`#${serializeHash(state)}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(back, state);
});

test("hash numbers never carry a plus sign, which forms would read as a space",
  () => {
    assert.equal(formatValue(setting("grid-max"), 2.5e6), "2.5e6");
    assert.equal(parseValue(setting("grid-max"), "2.5e+6").value, 2.5e6);
  });

test("bad values fall back to the default, each with a sentence", () => {
  const { state, problems } = parseHash(
    "#epochs=12.5&alpha=0&penalty=L2&grid-min=0&grid-steps=&lambda=abc&x=1",
  );
  assert.deepEqual(state, defaults());
  assert.equal(problems.length, 7);
  assert.match(problems[0], /^epochs=12.5 is not a whole number from 100 to 30000;/);
  assert.match(problems[0], /using the default 5000\.$/);
  assert.match(problems[6], /unknown setting "x"/);
});

test("ranges are inclusive and hold the article's demo ranges", () => {
  const accepts = (id, text) => "value" in parseValue(setting(id), text);
  assert.ok(accepts("alpha", "1e-5") && accepts("alpha", "1"));
  assert.ok(!accepts("alpha", "1.01") && !accepts("alpha", "9e-6"));
  assert.ok(accepts("lambda", "1e-6") && accepts("lambda", "10"));
  assert.ok(accepts("epochs", "100") && accepts("epochs", "30000"));
  assert.ok(!accepts("epochs", "30001") && !accepts("epochs", "0x10"));
  assert.ok(accepts("cv-epochs", "25000") && !accepts("cv-epochs", "25100"));
  assert.ok(!accepts("grid-min", "Infinity") && !accepts("grid-min", "-1"));
});

test("params use the Python names and five folds", () => {
  assert.deepEqual(toParams(defaults()), {
    alpha: 0.01, epochs: 5000, penalty: "l2", lam: 0.01, cv_epochs: 5000,
    lam_min: 1e-6, lam_max: 10, steps: 30, folds: 5,
  });
});

test("log sliders sit at the value's decade and give round values", () => {
  const alpha = setting("alpha");
  assert.equal(sliderPosition(alpha, 0.01), -2);
  assert.equal(sliderValue(alpha, "-2"), 0.01);
  assert.equal(sliderValue(alpha, "-2.05"), 0.00891);
  assert.equal(sliderValue(setting("epochs"), "5100"), 5100);
});

test("every setting's default is itself allowed", () => {
  for (const s of SETTINGS) {
    const parsed = parseValue(s, formatValue(s, s.value));
    assert.deepEqual(parsed, { value: s.value }, s.id);
  }
});
