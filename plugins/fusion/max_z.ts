/** `max_z` fusion: the largest weighted head z per row — the most alarmed head decides. */
import { defineFusion } from "../../core/plugin.ts";
import { resolveWeights, weightedMax } from "../../core/numeric/fusion.ts";

/** Options of `max_z`. */
export interface MaxZOptions {
  weights: Record<string, number>;
  default_weight: number;
}

export default defineFusion<MaxZOptions>({
  kind: "fusion",
  name: "max_z",
  version: "1.0.0",
  summary: "Per row, the largest weighted head z; the winning head carries the whole fused value.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      weights: {
        type: "object",
        description: "Sensitivity multiplier per head; 0 leaves a head out.",
        additionalProperties: { type: "number", minimum: 0 },
        default: {},
      },
      default_weight: {
        type: "number",
        minimum: 0,
        description: "Multiplier of a head that `weights` does not name.",
        default: 1,
      },
    },
    examples: [{ weights: { pca_spe: 1, ar1: 0.8 } }],
  },
  create(options) {
    return {
      fuse(z, rows) {
        return weightedMax(
          z,
          rows,
          resolveWeights(Object.keys(z), options.weights, options.default_weight),
        );
      },
    };
  },
});
