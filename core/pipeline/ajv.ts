/** The shared Ajv (draft 2020-12) instance: all errors, defaults filled, strict keywords. */
import { Ajv2020, type ErrorObject } from "ajv";

/** Validator instance used for the envelope and every plugin's options. */
export const ajv = new Ajv2020({
  allErrors: true,
  useDefaults: true,
  verbose: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
});

/** Ajv's error objects. */
export type AjvError = ErrorObject;

/** One-line summary of ajv errors: `/a/b must be number; /c must be >= 0`. */
export function summarizeAjvErrors(errors: readonly AjvError[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`).join("; ");
}
