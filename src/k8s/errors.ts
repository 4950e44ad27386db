/**
 * Typed API errors. Every failed API call surfaces as an ApiError subclass picked by the
 * HTTP status, so callers branch on `instanceof NotFoundError` instead of status codes,
 * and the reconcile loop can tell transient failures (retry with backoff) from terminal
 * ones.
 *
 * @module
 */

export class ApiError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  constructor(message: string, status: number, reason?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
    this.reason = reason;
  }
  /** True when retrying the same call later may succeed. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500 || this instanceof ConflictError;
  }
}
export class BadRequestError extends ApiError {}
export class UnauthorizedError extends ApiError {}
export class ForbiddenError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
export class AlreadyExistsError extends ConflictError {}
/** 410: a watch's resourceVersion is too old; relist. */
export class GoneError extends ApiError {}
export class InvalidError extends ApiError {}
export class TooManyRequestsError extends ApiError {}
export class ServerError extends ApiError {}
/** The request never got an HTTP answer (connection refused, reset, timeout). */
export class ConnectionError extends ApiError {}

interface StatusBody {
  message?: string;
  reason?: string;
}

/** Builds the typed error for an HTTP status and the API server's Status body. */
export function apiErrorFor(status: number, body: unknown, what: string): ApiError {
  const b = (typeof body === "object" && body !== null ? body : {}) as StatusBody;
  const msg = `${what}: ${status} ${b.message ?? (typeof body === "string" ? body.slice(0, 300) : "")}`.trim();
  switch (status) {
    case 400:
      return new BadRequestError(msg, status, b.reason);
    case 401:
      return new UnauthorizedError(msg, status, b.reason);
    case 403:
      return new ForbiddenError(msg, status, b.reason);
    case 404:
      return new NotFoundError(msg, status, b.reason);
    case 409:
      return b.reason === "AlreadyExists" ? new AlreadyExistsError(msg, status, b.reason) : new ConflictError(msg, status, b.reason);
    case 410:
      return new GoneError(msg, status, b.reason);
    case 422:
      return new InvalidError(msg, status, b.reason);
    case 429:
      return new TooManyRequestsError(msg, status, b.reason);
    default:
      return status >= 500 ? new ServerError(msg, status, b.reason) : new ApiError(msg, status, b.reason);
  }
}

/** Converts anything thrown by client-node (ApiException has `code` and `body`) or fetch. */
export function toApiError(err: unknown, what: string): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; message?: string };
  const status = typeof e?.code === "number" ? e.code : typeof e?.statusCode === "number" ? e.statusCode : 0;
  if (status > 0) {
    let body = e.body;
    if (typeof body === "string") {
      try {
        body = JSON.parse(body);
      } catch {}
    }
    return apiErrorFor(status, body, what);
  }
  return new ConnectionError(`${what}: ${e?.message ?? String(err)}`, 0, undefined, { cause: err });
}
