/**
 * The plugin contract suite: one set of Deno.test cases any plugin must pass,
 * built-in or third-party. `runContractSuite(plugin)` registers them:
 *  - every kind: the default export passes the loader's checks (kind, name,
 *    semver, summary, host_api range, options schema compiles, examples
 *    validate) with no warnings; the schema follows the option rules
 *    (`additionalProperties: false`, snake_case keys, description + default on
 *    every key); create() works with the defaults and with every example;
 *  - per kind (for the defaults and every example): see _detector_contract.ts
 *    and _kind_contracts.ts.
 * A third-party plugin's test is two lines:
 *   import plugin from "./my_detector.ts";
 *   runContractSuite(plugin);
 */
import assert from "node:assert/strict";
import type { Frame } from "../../../core/frame.ts";
import { silentLogger } from "../../../core/log.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import type { AnyPlugin, PluginContext, ScoredChunk } from "../../../core/plugin.ts";
import { checkPluginExport, type LoadedPlugin } from "../../../core/pipeline/plugin_loader.ts";
import { detectorContract } from "./_detector_contract.ts";
import {
  featureContract,
  fusionContract,
  sinkContract,
  sourceContract,
} from "./_kind_contracts.ts";

/** Knobs of the suite; every one has a default that suits the built-ins. */
export interface ContractOptions {
  /** Prefix of the test names (default: `<kind> "<name>"`). */
  label?: string;
  /** Option sets to run (defaults are filled in); default: `{}` and every schema example. */
  optionSets?: Record<string, unknown>[];
  /** Detectors and features: the training frame and the frame scored after it. */
  frames?: { train: Frame; test: Frame };
  /** Pipeline seed the plugin contexts derive from (default 17). */
  seed?: number;
  /** Sources: a sample input file (default: a small ISO-timestamp CSV) and the name to give it. */
  sourceFile?: { name: string; text: string; rows: number; columns: string[] };
  /** Sinks: runs before each write (e.g. the `report` sink reads what the csv sink wrote). */
  beforeSinkWrite?: (assetDir: string, chunk: ScoredChunk) => Promise<void>;
  /** Sinks: files (relative paths) whose bytes may differ between identical runs. */
  volatileFiles?: RegExp;
}

/** A checked plugin plus what each kind's cases need. */
export interface ContractCase {
  plugin: AnyPlugin;
  loaded: LoadedPlugin;
  label: string;
  opts: ContractOptions;
  seed: number;
  /** The option sets, validated, defaults filled (a fresh copy per call). */
  optionSets(): { name: string; options: Record<string, unknown> }[];
  /** A new instance with `options` and a context seeded from `seed` (node id = plugin name). */
  create<I>(options: Record<string, unknown>, seed?: number): I;
  context(seed?: number): PluginContext;
}

/** Registers the contract cases of `plugin` (a module's default export) with Deno.test. */
export function runContractSuite(plugin: unknown, opts: ContractOptions = {}): void {
  const p = plugin as AnyPlugin;
  const label = opts.label ?? `${String(p?.kind)} "${String(p?.name)}"`;
  const checked = checkPluginExport({ default: plugin }, `contract:${label}`);

  Deno.test(`${label}: checkPluginExport() accepts the default export with no warnings`, () => {
    if ("problems" in checked) {
      assert.fail(checked.problems.map((x) => x.message).join("\n"));
    }
    assert.deepEqual(checked.ok.warnings.map((w) => w.message), []);
  });
  if ("problems" in checked) return;

  const c = contractCase(checked.ok, label, opts);

  Deno.test(`${label}: options schema follows the option rules`, () => {
    checkOptionRules(c);
  });

  Deno.test(`${label}: create() works with the defaults and with every schema example`, () => {
    const examples = (c.plugin.options.examples as Record<string, unknown>[] | undefined) ?? [];
    assert.ok(examples.length >= 1, "at least one example");
    for (
      const [name, raw] of [
        ["defaults", {}],
        ...examples.map((e) => [JSON.stringify(e), e]),
      ] as const
    ) {
      const options = structuredClone(raw) as Record<string, unknown>;
      assert.ok(c.loaded.validate(options), `${name} validates`);
      const instance = c.create<Record<string, unknown>>(options);
      assert.ok(instance && typeof instance === "object", `create(${name}) returns an object`);
    }
  });

  switch (p.kind) {
    case "detector":
      return detectorContract(c);
    case "feature":
      return featureContract(c);
    case "fusion":
      return fusionContract(c);
    case "source":
      return sourceContract(c);
    case "sink":
      return sinkContract(c);
  }
}

function contractCase(loaded: LoadedPlugin, label: string, opts: ContractOptions): ContractCase {
  const plugin = loaded.plugin;
  const seed = opts.seed ?? 17;
  const context = (s = seed) => pluginContext(plugin.name, plugin.name, s, silentLogger);
  return {
    plugin,
    loaded,
    label,
    opts,
    seed,
    context,
    optionSets() {
      const examples = (plugin.options.examples as Record<string, unknown>[] | undefined) ?? [];
      const raw = opts.optionSets ?? [{}, ...examples];
      return raw.map((o, i) => {
        const options = structuredClone(o);
        assert.ok(loaded.validate(options), `option set ${i} ${JSON.stringify(o)} validates`);
        return { name: i === 0 && !opts.optionSets ? "defaults" : JSON.stringify(o), options };
      });
    },
    create<I>(options: Record<string, unknown>, s = seed): I {
      const create = plugin.create as (o: unknown, ctx: PluginContext) => I;
      return create(structuredClone(options), context(s));
    },
  };
}

/** `additionalProperties: false`, snake_case keys, a description and a default on every key. */
function checkOptionRules(c: ContractCase): void {
  const schema = c.plugin.options;
  assert.equal(schema.type, "object");
  assert.equal(schema.additionalProperties, false, "unknown option keys are rejected");
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [key, prop] of Object.entries(props)) {
    assert.match(key, /^[a-z][a-z0-9_]*$/, `option "${key}" is snake_case`);
    assert.ok(
      typeof prop.description === "string" && prop.description.trim().length >= 10,
      `option "${key}" has a description`,
    );
    assert.ok("default" in prop || required.has(key), `option "${key}" has a default`);
    if ("default" in prop) {
      const only = { [key]: structuredClone(prop.default) };
      assert.ok(c.loaded.validate(only), `the default of "${key}" validates`);
    }
  }
  assert.equal(c.loaded.validate({ no_such_option_xyz: 1 }), false, "an unknown key is refused");
}
