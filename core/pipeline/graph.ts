/**
 * Checks of the node graph: unique ids, inputs that name existing nodes of a
 * kind that can feed the node (features ← source/features, detectors ←
 * source/features, fusion ← detectors or their heads), and no cycles.
 */
import type { Diagnostic, ErrorCode } from "../errors.ts";
import type { PluginKind } from "../plugin.ts";
import { didYouMean } from "./did_you_mean.ts";
import { childPointer, type PositionMap } from "./yaml_source.ts";

/** One node as the graph checks see it. */
export interface GraphNode {
  kind: PluginKind;
  id: string;
  inputs: string[];
  /** JSON pointer of the node. */
  pointer: string;
  /** Head names (detectors only, when known). */
  heads?: string[];
}

const FEEDS: Record<PluginKind, PluginKind[]> = {
  source: [],
  feature: ["source", "feature"],
  detector: ["source", "feature"],
  fusion: ["detector"],
  sink: [],
};

/** All graph problems of the nodes, positioned at the offending id or input. */
export function checkGraph(nodes: readonly GraphNode[], positions: PositionMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = (
    code: ErrorCode,
    pointer: string,
    node: string,
    message: string,
    hint?: string,
  ) =>
    out.push({
      ...positions.at(pointer),
      pointer,
      code,
      severity: "error",
      node,
      message,
      ...(hint ? { hint } : {}),
    });
  const byId = new Map<string, GraphNode>();
  for (const n of nodes) {
    const first = byId.get(n.id);
    if (first) {
      const at = positions.at(first.pointer);
      problem(
        "duplicate-id",
        childPointer(n.pointer, "id"),
        n.id,
        `Node id "${n.id}" is already used by the ${first.kind} node at line ${at.line}`,
        "give every node its own id",
      );
    } else byId.set(n.id, n);
  }
  const headOwner = new Map<string, GraphNode>();
  for (const n of nodes) for (const h of n.heads ?? []) if (!headOwner.has(h)) headOwner.set(h, n);

  for (const n of nodes) {
    if (n.kind === "sink") continue;
    const allowed = FEEDS[n.kind];
    n.inputs.forEach((input, i) => {
      const pointer = childPointer(childPointer(n.pointer, "inputs"), i);
      const target = byId.get(input) ?? (n.kind === "fusion" ? headOwner.get(input) : undefined);
      if (n.kind === "source") {
        problem("input-kind", pointer, n.id, `The source node takes no inputs, got "${input}"`);
        return;
      }
      if (!target) {
        const candidates = nodes.filter((c) => allowed.includes(c.kind)).flatMap((c) =>
          n.kind === "fusion" ? [c.id, ...(c.heads ?? [])] : [c.id]
        );
        const hint = didYouMean(input, candidates);
        problem(
          "dangling-input",
          pointer,
          n.id,
          `Input "${input}" of node "${n.id}" names no ${allowed.join(" or ")} node${
            n.kind === "fusion" ? " or head" : ""
          }`,
          `${hint ? hint + " " : ""}candidates: ${[...new Set(candidates)].join(", ") || "(none)"}`,
        );
        return;
      }
      if (target === n) {
        problem("cycle", pointer, n.id, `Node "${n.id}" names itself as an input`);
        return;
      }
      if (!allowed.includes(target.kind)) {
        problem(
          "input-kind",
          pointer,
          n.id,
          `Input "${input}" of ${n.kind} node "${n.id}" is a ${target.kind} node; a ${n.kind} reads from ${
            allowed.join(" or ")
          } nodes`,
        );
      }
    });
  }
  out.push(...findCycles(nodes.filter((n) => n.kind === "feature"), positions));
  return out;
}

/** Cycles among feature nodes (self-loops are reported by the input check). */
function findCycles(features: readonly GraphNode[], positions: PositionMap): Diagnostic[] {
  const byId = new Map(features.map((f) => [f.id, f]));
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: string[] = [];
  const out: Diagnostic[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    stack.push(id);
    const node = byId.get(id)!;
    for (const input of node.inputs) {
      if (input === id || !byId.has(input)) continue;
      const s = state.get(input);
      if (s === 1) {
        const loop = [...stack.slice(stack.indexOf(input)), input];
        const start = byId.get(input)!;
        const pointer = childPointer(start.pointer, "inputs");
        out.push({
          ...positions.at(pointer),
          pointer,
          code: "cycle",
          severity: "error",
          node: input,
          message: `Feature inputs form a cycle: ${loop.join(" → ")}`,
          hint: "a feature may only read the source or features that do not (indirectly) read it",
        });
      } else if (s === undefined) visit(input);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const f of features) if (!state.has(f.id)) visit(f.id);
  return out;
}
