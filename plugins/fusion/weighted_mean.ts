/** `weighted_mean` fusion: the weighted mean of calibrated head z-scores (the ACM V8 method, without per-batch re-standardisation). */
import { defineFusion } from "../../core/plugin.ts";
import { resolveWeights, weightedMean } from "../../core/numeric/fusion.ts";

/** Options of `weighted_mean`. */
export interface WeightedMeanOptions {
  weights: Record<string, number>;
  default_weight: number;
  positive_only: boolean;
}

export default defineFusion<WeightedMeanOptions>({
  kind: "fusion",
  name: "weighted_mean",
  version: "1.0.0",
  summary:
    "Weighted mean of calibrated head z-scores, weights renormalised over the heads present.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      weights: {
        type: "object",
        description:
          "Weight per head (`ar1`, `pca_spe`, ...). Renormalised over the heads present; 0 leaves a head out.",
        additionalProperties: { type: "number", minimum: 0 },
        default: {},
      },
      default_weight: {
        type: "number",
        minimum: 0,
        description: "Weight of a head that `weights` does not name.",
        default: 1,
      },
      positive_only: {
        type: "boolean",
        description:
          "Clip each head's z at 0 before averaging (calmer-than-training is not evidence of health).",
        default: true,
      },
    },
    examples: [{ weights: { ar1: 0.2, pca_spe: 0.2, mahalanobis: 0.2 }, positive_only: true }],
  },
  create(options) {
    return {
      fuse(z, rows) {
        const weights = resolveWeights(Object.keys(z), options.weights, options.default_weight);
        return weightedMean(z, rows, weights, options.positive_only);
      },
    };
  },
});
