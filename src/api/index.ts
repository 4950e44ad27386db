/**
 * The NetworkDiagnosis API: schemas, types, codes and names.
 *
 * @module
 */
export * from "./codes.ts";
export * from "./diagnosis.ts";
export * from "./group.ts";
export * from "./spec.ts";
export * from "./status.ts";
