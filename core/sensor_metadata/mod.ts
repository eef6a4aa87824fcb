/** Sensor metadata files (units, descriptions, limits): schema, loading, checks, stored copy. */
export * from "./schema.ts";
export * from "./load.ts";
export * from "./check.ts";
export * from "./locate.ts";
export * from "./stored.ts";
export * from "./kind.ts";
