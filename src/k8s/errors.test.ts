import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiException } from "@kubernetes/client-node";
import {
  AlreadyExistsError,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  GoneError,
  InvalidError,
  NotFoundError,
  ServerError,
  apiErrorFor,
  toApiError,
} from "./errors.ts";

describe("typed API errors", () => {
  const cases: [number, string | undefined, new (...a: never[]) => Error, boolean][] = [
    [404, "NotFound", NotFoundError, false],
    [409, "AlreadyExists", AlreadyExistsError, true],
    [409, "Conflict", ConflictError, true],
    [403, "Forbidden", ForbiddenError, false],
    [410, "Expired", GoneError, false],
    [422, "Invalid", InvalidError, false],
    [503, "ServiceUnavailable", ServerError, true],
  ];
  for (const [status, reason, cls, transient] of cases) {
    it(`maps ${status} ${reason} to ${cls.name} (${transient ? "transient" : "terminal"})`, () => {
      const e = apiErrorFor(status, { message: "m", reason }, "GET /x");
      assert.ok(e instanceof cls);
      assert.equal(e.transient, transient);
      assert.match(e.message, new RegExp(`GET /x: ${status} m`));
    });
  }
  it("converts client-node's ApiException, parsing its JSON body", () => {
    const e = toApiError(new ApiException(404, "not found", JSON.stringify({ message: 'pods "x" not found', reason: "NotFound" }), {}), "GET pod");
    assert.ok(e instanceof NotFoundError);
    assert.match(e.message, /pods "x" not found/);
  });
  it("treats an error without an HTTP status as a transient connection error", () => {
    const e = toApiError(new Error("ECONNREFUSED"), "GET /x");
    assert.ok(e instanceof ConnectionError);
    assert.equal(e.transient, true);
    assert.ok(e.cause instanceof Error);
  });
});
