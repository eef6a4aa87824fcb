import assert from "node:assert/strict";
import { closest, didYouMean, editDistance } from "../../../core/pipeline/did_you_mean.ts";

Deno.test("editDistance() counts an adjacent transposition as one edit", () => {
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("abc", ""), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("pca", "pac"), 1);
  assert.equal(editDistance("n_componets", "n_components"), 1);
  assert.equal(editDistance("ca", "abc"), 3);
});

Deno.test("closest() suggests near names case-insensitively and nothing for far ones", () => {
  const plugins = ["ar1", "pca", "mahalanobis", "isolation_forest", "gmm", "omr"];
  assert.equal(closest("isolaton_forest", plugins), "isolation_forest");
  assert.equal(closest("Mahalanobis", plugins), "mahalanobis");
  assert.equal(closest("mahalanobs", plugins), "mahalanobis");
  assert.equal(closest("lstm_autoencoder", plugins), undefined);
  assert.equal(closest("pca", plugins), undefined, "an exact match is not a suggestion");
  assert.equal(didYouMean("episode", ["episodes", "health"]), "did you mean `episodes`?");
  assert.equal(didYouMean("zzz", ["episodes"]), undefined);
});
