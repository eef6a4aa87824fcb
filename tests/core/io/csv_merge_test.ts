import assert from "node:assert/strict";
import { mergeCsvParts } from "../../../core/io/csv_merge.ts";

Deno.test("mergeCsvParts() joins parts with one header when headers agree", () => {
  assert.equal(mergeCsvParts(["t,a\n1,2\n", "t,a\n3,4\n"]), "t,a\n1,2\n3,4\n");
  assert.equal(mergeCsvParts([]), "");
});

Deno.test("mergeCsvParts() takes the union of columns when a head appears or disappears", () => {
  const merged = mergeCsvParts([
    "t,a_z,fused\n1,0.5,1\n",
    "t,b_z,fused\n2,0.7,2\n",
    "t,a_z,fused\n3,0.9,3\n",
  ]);
  assert.equal(merged, "t,a_z,fused,b_z\n1,0.5,1,\n2,,2,0.7\n3,0.9,3,\n");
});
