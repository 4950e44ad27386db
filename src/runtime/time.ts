/**
 * Kubernetes timestamp formats: `metav1.Time` (RFC 3339, whole seconds) and
 * `metav1.MicroTime` (microseconds), as the API server stores them.
 *
 * @example rfc3339(new Date("2026-01-01T00:00:00.123Z")) // "2026-01-01T00:00:00Z"
 * @module
 */

/** metav1.Time: whole seconds. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** metav1.MicroTime: six fractional digits. */
export const microTime = (d: Date): string => d.toISOString().replace("Z", "000Z");
