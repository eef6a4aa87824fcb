/** Wiring helpers of the engine: a node's input frame and head names. */
import { concatColumns, type Frame } from "../frame.ts";

/** The frame a node sees: its input frames joined side by side, in the order of `inputs`. */
export function gatherInputs(
  node: { id: string; inputs: string[] },
  frames: ReadonlyMap<string, Frame>,
): Frame {
  const parts = node.inputs.map((id) => {
    const f = frames.get(id);
    if (!f) {
      throw new RangeError(`Cannot run node "${node.id}": input "${id}" has not been computed`);
    }
    return f;
  });
  return parts.length === 1 ? parts[0] : concatColumns(parts);
}

/** Head name of one detector output: the node id for a single unnamed output, else `<id>_<output>`. */
export function headName(nodeId: string, output: string): string {
  return output === "" ? nodeId : `${nodeId}_${output}`;
}

/**
 * Heads that feed fusion, in fusion order: each fusion input is a detector node id
 * (all of its heads) or a head name. No inputs → every head.
 */
export function fusionHeads(
  inputs: readonly string[],
  heads: readonly { node: string; head: string }[],
): string[] {
  if (inputs.length === 0) return heads.map((h) => h.head);
  const out: string[] = [];
  for (const input of inputs) {
    for (const h of heads) {
      if ((h.node === input || h.head === input) && !out.includes(h.head)) out.push(h.head);
    }
  }
  return out;
}

/** Ids of the feature nodes some detector needs, directly or through other features. */
export function usedFeatures(
  features: readonly { id: string; inputs: string[] }[],
  detectors: readonly { inputs: string[] }[],
): Set<string> {
  const byId = new Map(features.map((f) => [f.id, f]));
  const used = new Set<string>();
  const visit = (id: string) => {
    const f = byId.get(id);
    if (!f || used.has(id)) return;
    used.add(id);
    f.inputs.forEach(visit);
  };
  detectors.forEach((d) => d.inputs.forEach(visit));
  return used;
}
