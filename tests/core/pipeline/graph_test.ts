import assert from "node:assert/strict";
import { checkGraph, type GraphNode } from "../../../core/pipeline/graph.ts";
import { PositionMap } from "../../../core/pipeline/yaml_source.ts";

const positions = new PositionMap("p.yaml");
const node = (
  kind: GraphNode["kind"],
  id: string,
  inputs: string[],
  i: number,
  heads?: string[],
): GraphNode => ({
  kind,
  id,
  inputs,
  pointer: `/n/${i}`,
  heads,
});

Deno.test("checkGraph() names the whole cycle among features", () => {
  const nodes = [
    node("source", "raw", [], 0),
    node("feature", "a", ["c"], 1),
    node("feature", "b", ["a"], 2),
    node("feature", "c", ["b", "raw"], 3),
  ];
  const ds = checkGraph(nodes, positions);
  assert.deepEqual(ds.map((d) => d.code), ["cycle"]);
  assert.match(ds[0].message, /a → c → b → a/);
});

Deno.test("checkGraph() lets fusion name detector ids or head names, nothing else", () => {
  const nodes = [
    node("source", "raw", [], 0),
    node("feature", "roll", ["raw"], 1),
    node("detector", "pca", ["roll"], 2, ["pca_spe", "pca_t2"]),
    node("fusion", "fused", ["pca_spe", "pca", "roll", "pca_sp"], 3),
    node("sink", "out", ["whatever"], 4),
  ];
  const ds = checkGraph(nodes, positions);
  assert.deepEqual(ds.map((d) => `${d.code} ${d.pointer}`), [
    "input-kind /n/3/inputs/2",
    "dangling-input /n/3/inputs/3",
  ]);
  assert.match(ds[1].hint!, /did you mean `pca_spe`\?/);
});

Deno.test("checkGraph() reports duplicate ids, self inputs and inputs to the source", () => {
  const nodes = [
    node("source", "raw", ["x"], 0),
    node("feature", "roll", ["roll"], 1),
    node("detector", "roll", ["raw"], 2, ["roll"]),
  ];
  assert.deepEqual(checkGraph(nodes, positions).map((d) => d.code).sort(), [
    "cycle",
    "duplicate-id",
    "input-kind",
  ]);
});
