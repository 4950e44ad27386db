/**
 * Types shared by the parts of a diagnosis run.
 *
 * @module
 */
import type { ProbeReport } from "../analyzers/context.ts";

/** Why a probe could not deliver a result (never a network failure of the target). */
export type ProbeFailureCode = NonNullable<ProbeReport["failure"]>["code"];
