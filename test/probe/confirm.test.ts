// Confirm instead of settle (ADR 0010), in the netns lab: with plan.confirmAfterSeconds the
// probe checks at once, answers a healthy check without waiting, and re-tests after the
// window only a drop-like failure or a success the operator marked confirm:"connected".
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { forToolsets, Lab, labSkipReason } from "./netns-lab.ts";

const skip = labSkipReason();
const SRV = "198.18.201.2";

describe("netdiag-probe confirm window", { skip }, () => {
  let lab: Lab;
  before(() => {
    lab = new Lab();
    lab.up();
  });
  after(() => lab?.down());

  forToolsets(
    () => lab,
    () => {
      const run = (checks: Record<string, unknown>[], confirmAfterSeconds?: number) => {
        const t0 = Date.now();
        const r = lab.run({
          version: 1,
          runId: "c",
          timeoutSeconds: 5,
          ...(confirmAfterSeconds ? { confirmAfterSeconds } : {}),
          targets: [{ name: "t", checks }],
        });
        assert.equal(r.code, 0, r.stderr + r.stdout);
        return { ms: Date.now() - t0, checks: r.result?.targets[0]?.checks ?? [], stdout: r.stdout };
      };

      it("answers a healthy check at once: nothing to confirm, no wait", () => {
        const r = run([{ check: "tcp", host: SRV, port: 8080, role: "clusterIP" }], 3);
        assert.equal(r.checks[0]?.outcome, "ok");
        assert.equal(r.checks[0]?.detail.firstOutcome, undefined);
        assert.ok(r.ms < 2500, `took ${r.ms} ms`);
      });

      it("re-tests a dropped connect after the window and keeps the first outcome", () => {
        const r = run(
          [
            { check: "tcp", host: SRV, port: 7001, role: "clusterIP", timeoutSeconds: 1 },
            { check: "tcp", host: SRV, port: 7000, role: "clusterIP" },
          ],
          3,
        );
        const dropped = r.checks[0];
        assert.equal(dropped?.outcome, "timeout");
        assert.equal(dropped?.detail.firstOutcome, "timeout");
        assert.equal(dropped?.detail.confirmed, true);
        assert.equal(r.checks[1]?.outcome, "refused");
        assert.equal(r.checks[1]?.detail.firstOutcome, undefined, "a refused connect comes from the destination: not re-tested");
        assert.ok(r.ms >= 3000, `the re-test waits for the window (took ${r.ms} ms)`);
        assert.match(r.stdout, /confirming 1 check\(s\) after the 3s NetworkPolicy enforcement window/);
      });

      it("re-tests a success the static verdict says must fail (confirm: connected)", () => {
        const r = run([{ check: "tcp", host: SRV, port: 8080, role: "clusterIP", confirm: "connected" }], 2);
        assert.equal(r.checks[0]?.outcome, "ok");
        assert.equal(r.checks[0]?.detail.firstOutcome, "ok");
        assert.ok(r.ms >= 2000, `took ${r.ms} ms`);
      });

      it("does nothing of the kind without a window (no NetworkPolicies in the cluster)", () => {
        const r = run([{ check: "tcp", host: SRV, port: 7001, role: "clusterIP", timeoutSeconds: 1 }]);
        assert.equal(r.checks[0]?.outcome, "timeout");
        assert.equal(r.checks[0]?.detail.firstOutcome, undefined);
      });

      it("cuts a lost ping short once the connection checks answered, and waits for it when they failed", () => {
        const ok = run([
          { check: "tcp", host: SRV, port: 8080, role: "clusterIP" },
          { check: "icmp", host: "198.18.201.3", timeoutSeconds: 3 },
        ]);
        assert.equal(ok.checks[0]?.outcome, "ok");
        assert.equal(ok.checks[1]?.detail.cutShort, true);
        assert.ok(ok.ms < 2000, `a working path is not held by a lost ping (took ${ok.ms} ms)`);
        const failed = run([
          { check: "tcp", host: SRV, port: 7000, role: "clusterIP" },
          { check: "icmp", host: "198.18.201.3", timeoutSeconds: 2 },
        ]);
        assert.equal(failed.checks[0]?.outcome, "refused");
        assert.equal(failed.checks[1]?.outcome, "timeout");
        assert.equal(failed.checks[1]?.detail.cutShort, undefined, "a failing path gets its full ICMP evidence");
      });

      it("refuses a window outside 1-30 s as a bad plan envelope", () => {
        const r = lab.run({
          version: 1,
          runId: "c",
          timeoutSeconds: 5,
          confirmAfterSeconds: 99,
          targets: [{ name: "t", checks: [{ check: "tcp", host: SRV, port: 8080 }] }],
        });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /plan\.confirmAfterSeconds/);
      });
    },
  );
});
