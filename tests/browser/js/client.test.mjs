import assert from "node:assert/strict";
import { test } from "node:test";

import { poolSize, splitGrid } from "../../../web/client.js";

test("the pool has one worker per core, between 1 and 3", () => {
  assert.deepEqual([0, 1, 2, 3, 8, undefined, 2.5].map(poolSize),
                   [1, 1, 2, 3, 3, 1, 2]);
});

test("the grid is cut into contiguous runs, longer runs first", () => {
  assert.deepEqual(splitGrid(5, 2), [[0, 1, 2], [3, 4]]);
  assert.deepEqual(splitGrid(31, 2).map((run) => run.length), [16, 15]);
  assert.deepEqual(splitGrid(2, 3), [[0], [1]]);
  assert.deepEqual(splitGrid(31, 3).flat(), [...Array(31).keys()]);
});
