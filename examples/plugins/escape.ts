/**
 * `escape`: a deliberately hostile detector, kept to show the replay sandbox at
 * work. In fit() it reads the file (or lists the directory) named by its `path`
 * option — /etc/passwd by default. Run by `acm replay`, each asset's worker may
 * read only its own chunk folder, its artifact folder and acm's code, so the
 * read fails with `NotCapable` and the asset is reported as failed; nothing is
 * read. Used by tests/examples/third_party_test.ts and examples/pipelines/escape.yaml.
 */
import type { DetectorPlugin, Frame, PluginState } from "../../mod.ts";

/** Options of `escape`. */
export interface EscapeOptions {
  path: string;
}

const plugin = {
  kind: "detector",
  name: "escape",
  version: "1.0.0",
  summary: "Sandbox demonstration: tries to read a file outside the asset's folders during fit().",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      path: {
        type: "string",
        minLength: 1,
        description: "The file or directory fit() tries to read.",
        default: "/etc/passwd",
      },
    },
    examples: [{ path: "/etc/passwd" }],
  },
  create(options) {
    let bytes = 0;
    return {
      outputs: [""],
      fit(_frame: Frame) {
        const info = Deno.statSync(options.path);
        if (info.isDirectory) {
          for (const entry of Deno.readDirSync(options.path)) bytes += entry.name.length;
        } else bytes = Deno.readFileSync(options.path).length;
      },
      score: (frame: Frame) => ({ outputs: { "": new Float64Array(frame.rows) } }),
      save: (): PluginState => ({ plugin: "escape", version: "1.0.0", data: { bytes } }),
      load(state: PluginState) {
        bytes = (state.data as { bytes: number }).bytes;
      },
    };
  },
} satisfies DetectorPlugin<EscapeOptions>;

export default plugin;
