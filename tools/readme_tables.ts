/**
 * Generates the README's plugin table from the plugins' own metadata and
 * schemas, between `<!-- plugins:start -->` and `<!-- plugins:end -->`.
 *   deno run --allow-read --allow-write --allow-env --allow-run tools/readme_tables.ts          (rewrite README.md)
 *   deno run --allow-read --allow-env --allow-run tools/readme_tables.ts --check  (exit 1 if stale)
 */
import { loadBuiltinPlugins } from "../core/pipeline/builtins.ts";
import type { AnyPlugin } from "../core/plugin.ts";

const START = "<!-- plugins:start -->";
const END = "<!-- plugins:end -->";

function optionsCell(plugin: AnyPlugin): string {
  const props = (plugin.options.properties ?? {}) as Record<string, { default?: unknown }>;
  const names = Object.keys(props);
  if (names.length === 0) return "–";
  return names.map((n) => {
    const d = props[n].default;
    return d === undefined ? `\`${n}\`` : `\`${n}\`=${JSON.stringify(d)}`;
  }).join(", ").replaceAll("|", "\\|");
}

/** The markdown table of every built-in plugin, in data-path order. */
export async function pluginTable(): Promise<string> {
  const { plugins, failures } = await loadBuiltinPlugins();
  if (failures.length > 0) {
    throw new Error(
      `Cannot list plugins: ${
        failures.map((f) => `${f.kind} ${f.name}`).join(", ")
      } failed to load`,
    );
  }
  const rows = plugins.map((p) =>
    `| ${p.kind} | \`${p.name}\` | ${p.version} | ${p.summary.replaceAll("|", "\\|")} | ${
      optionsCell(p)
    } |`
  );
  return [
    "| kind | name | version | what it does | options (default) |",
    "|---|---|---|---|---|",
    ...rows,
  ]
    .join("\n");
}

/** Markdown as `deno fmt` writes it (so the generated table survives `deno fmt --check`). */
async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(`Cannot format README: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** README text with the generated table in place, formatted like `deno fmt`. */
export async function withPluginTable(readme: string): Promise<string> {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`Cannot update README: markers ${START} … ${END} not found`);
  return await formatMarkdown(
    `${readme.slice(0, a + START.length)}\n${await pluginTable()}\n${readme.slice(b)}`,
  );
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const current = await Deno.readTextFile(path);
  const next = await withPluginTable(current);
  if (Deno.args.includes("--check")) {
    if (next !== current) {
      console.error("README.md plugin table is stale: run `deno run -A tools/readme_tables.ts`");
      Deno.exit(1);
    }
  } else if (next !== current) {
    await Deno.writeTextFile(path, next);
    console.log("README.md plugin table updated");
  }
}
