/**
 * Types shared by the parts of a diagnosis run.
 *
 * @module
 */

export type ProbeFailureCode = "ProbeNotScheduled" | "ProbeImagePullFailed" | "ProbeTimedOut" | "ProbeFailed";
