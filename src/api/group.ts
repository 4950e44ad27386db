/**
 * The NetworkDiagnosis API group, version and names, and the labels and annotations the
 * operator puts on objects it owns.
 *
 * @module
 */

export const Group = "netdiag.dev";
export const Version = "v1alpha1";
export const ApiVersion = `${Group}/${Version}`;
export const Kind = "NetworkDiagnosis";
export const Plural = "networkdiagnoses";
export const Singular = "networkdiagnosis";
export const ShortNames = ["netdiag", "nd"] as const;

/** Labels put on probe pods. */
export const Labels = {
  /** Name of the NetworkDiagnosis that owns the probe pod. */
  Diagnosis: "netdiag.dev/diagnosis",
  /** Run id of the run the probe pod belongs to. */
  RunId: "netdiag.dev/run-id",
  /** Marks every pod the operator created. */
  Probe: "netdiag.dev/probe",
  ManagedBy: "app.kubernetes.io/managed-by",
  /** On a Namespace, "true": findings of other namespaces' diagnoses may name it (a shared-services namespace). */
  Discoverable: "netdiag.dev/discoverable",
} as const;

/** Annotations users (or GitOps tools) set on a NetworkDiagnosis. */
export const Annotations = {
  /** Any new value triggers a run now; the operator records the value it served in status. */
  RunNow: "netdiag.dev/run-now",
} as const;

export const ManagerName = "netdiag";
