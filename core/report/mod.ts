/** The HTML report: per-asset pages and the fleet index, built from stored outputs. */
export { renderAssetReport, writeAssetReport } from "./asset_report.ts";
export { renderFleetIndex, writeFleetIndex } from "./fleet_index.ts";
export { readAssetOutputs } from "./read_outputs.ts";
