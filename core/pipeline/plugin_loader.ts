/**
 * Loads a plugin module and checks its default export against the plugin
 * contract (core/plugin.ts): kind, name, semver version, summary, host API
 * range satisfied by HOST_API_VERSION, an options schema that compiles and
 * whose examples validate, and a `create` function. Results (with the compiled
 * options validator) are cached per module specifier.
 */
import type { ValidateFunction } from "ajv";
import { type AnyPlugin, HOST_API_VERSION, type JsonSchema, PLUGIN_KINDS } from "../plugin.ts";
import type { ErrorCode } from "../errors.ts";
import { ajv, summarizeAjvErrors } from "./ajv.ts";
import { isValidRange, parseVersion, satisfies } from "./semver.ts";

/** One problem with a plugin module. */
export interface PluginProblem {
  code: ErrorCode;
  severity: "error" | "warning";
  message: string;
  hint?: string;
}

/** A plugin module that passed the contract checks. */
export interface LoadedPlugin {
  plugin: AnyPlugin;
  /** Module specifier (absolute file URL or `npm:`). */
  specifier: string;
  /** Compiled options validator (fills defaults in place). */
  validate: ValidateFunction;
  /** Contract warnings (e.g. an option without a default). */
  warnings: PluginProblem[];
}

/** Outcome of loading one module. */
export type LoadResult = { ok: LoadedPlugin } | { problems: PluginProblem[] };

const cache = new Map<string, Promise<LoadResult>>();

const error = (code: ErrorCode, message: string, hint?: string): PluginProblem => ({
  code,
  severity: "error",
  message,
  hint,
});

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Checks a module namespace's default export against the contract. */
export function checkPluginExport(module: unknown, specifier: string): LoadResult {
  const label = `Cannot use plugin module "${specifier}"`;
  const exported = isObject(module) ? module.default : undefined;
  if (!isObject(exported)) {
    return {
      problems: [error(
        "plugin-shape",
        `${label}: it has no default-exported plugin object`,
        "export the plugin as `export default defineDetector({ kind, name, version, ... })`",
      )],
    };
  }
  const p = exported;
  const problems: PluginProblem[] = [];
  const shape = (message: string, hint?: string) =>
    problems.push(error("plugin-shape", `${label}: ${message}`, hint));
  if (!PLUGIN_KINDS.includes(p.kind as never)) {
    shape(`kind is ${JSON.stringify(p.kind)}`, `kind is one of ${PLUGIN_KINDS.join(", ")}`);
  }
  if (typeof p.name !== "string" || !/^[a-z][a-z0-9_]*$/.test(p.name)) {
    shape(`name is ${JSON.stringify(p.name)}`, "name is snake_case, e.g. `isolation_forest`");
  }
  if (typeof p.version !== "string" || !parseVersion(p.version)) {
    shape(`version is ${JSON.stringify(p.version)}`, "version is a semantic version, e.g. `1.0.0`");
  }
  if (typeof p.summary !== "string" || p.summary.trim() === "") {
    shape("summary is missing", "summary is one line saying what the plugin does");
  }
  if (typeof p.create !== "function") {
    shape(`create is ${typeof p.create}, not a function`, "add `create(options, ctx)`");
  }
  if (typeof p.host_api !== "string" || !isValidRange(p.host_api)) {
    shape(
      `host_api is ${JSON.stringify(p.host_api)}`,
      `host_api is a range, e.g. "^${HOST_API_VERSION}"`,
    );
  } else if (!satisfies(HOST_API_VERSION, p.host_api)) {
    problems.push(error(
      "plugin-host-api",
      `${label}: plugin "${
        String(p.name)
      }" was written for host API "${p.host_api}", this acm provides host API ${HOST_API_VERSION}`,
      `use a version of the plugin written for host API ^${HOST_API_VERSION}`,
    ));
  }
  const warnings: PluginProblem[] = [];
  let validate: ValidateFunction | undefined;
  const options = p.options;
  if (!isObject(options) || options.type !== "object") {
    shape('options is not a JSON Schema of `type: "object"`');
  } else {
    try {
      validate = ajv.compile(options);
    } catch (e) {
      problems.push(
        error(
          "plugin-schema",
          `${label}: options schema does not compile: ${(e as Error).message}`,
        ),
      );
    }
    if (validate) problems.push(...checkExamples(options, validate, label));
    warnings.push(...checkOptionDocs(options, label));
  }
  if (problems.length > 0 || !validate) return { problems };
  return { ok: { plugin: p as unknown as AnyPlugin, specifier, validate, warnings } };
}

/** Every `options.examples` entry must validate (on a copy: validation fills defaults). */
function checkExamples(
  options: JsonSchema,
  validate: ValidateFunction,
  label: string,
): PluginProblem[] {
  const examples = options.examples;
  if (!Array.isArray(examples) || examples.length === 0) {
    return [
      error(
        "plugin-example",
        `${label}: options schema has no examples`,
        "add `examples: [{ ... }]` (at least one)",
      ),
    ];
  }
  const problems: PluginProblem[] = [];
  examples.forEach((example, i) => {
    if (!validate(structuredClone(example))) {
      problems.push(error(
        "plugin-example",
        `${label}: options example ${i} does not validate: ${summarizeAjvErrors(validate.errors)}`,
        "fix the example or the schema so they agree",
      ));
    }
  });
  return problems;
}

/** Warns about options without a description or (when not required) a default. */
function checkOptionDocs(options: JsonSchema, label: string): PluginProblem[] {
  const props = isObject(options.properties) ? options.properties : {};
  const required = new Set(Array.isArray(options.required) ? options.required : []);
  const out: PluginProblem[] = [];
  for (const [key, schema] of Object.entries(props)) {
    if (!isObject(schema)) continue;
    const missing = [
      typeof schema.description !== "string" && "a description",
      !("default" in schema) && !required.has(key) && "a default",
    ].filter(Boolean);
    if (missing.length > 0) {
      out.push({
        code: "plugin-shape",
        severity: "warning",
        message: `${label}: option "${key}" has no ${missing.join(" and no ")}`,
      });
    }
  }
  return out;
}

/** Imports a plugin module (once per specifier) and checks it; never throws. */
export function loadPluginModule(
  specifier: string,
  importer: () => Promise<unknown> = () => import(specifier),
): Promise<LoadResult> {
  let pending = cache.get(specifier);
  if (!pending) {
    pending = importer().then(
      (module) => checkPluginExport(module, specifier),
      (e: unknown) => ({
        problems: [error(
          "plugin-load",
          `Cannot load plugin module "${specifier}": ${
            (e as Error)?.message?.split("\n")[0] ?? String(e)
          }`,
          "check the path (relative to the pipeline file) and that the module has no syntax errors",
        )],
      }),
    );
    cache.set(specifier, pending);
  }
  return pending;
}
