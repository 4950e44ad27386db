import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FindingCodeNames, FindingCodes, TargetRows } from "../api/codes.ts";
import { CheckKinds } from "../api/probe-contract.ts";
import { SpecSchema } from "../api/spec.ts";
import { CheckResultSchema, type CheckResult } from "../api/probe-contract.ts";
import { evaluate } from "./evaluate.ts";
import { finding } from "./finding.ts";
import { Method, RESERVED, SHARED, placeOf, rowOf } from "./method.ts";
import type { ManifestObject } from "./offline/snapshot-from-objects.ts";
import { snapshotFromObjects } from "./offline/snapshot-from-objects.ts";
import { judge, sortFindings } from "./root-cause.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function files(dir: string, keep: (p: string) => boolean): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === "node_modules" || n.startsWith(".")) return [];
    return statSync(p).isDirectory() ? files(p, keep) : keep(p) ? [p] : [];
  });
}

describe("the method table", () => {
  it("emits every public finding code from exactly one step, or reserves it for a named capability", () => {
    const owners = new Map<string, number[]>();
    Method.forEach((s, i) => s.codes.forEach((c) => owners.set(c, [...(owners.get(c) ?? []), i])));
    const problems: string[] = [];
    for (const code of FindingCodeNames) {
      const o = owners.get(code) ?? [];
      if (RESERVED[code] !== undefined) {
        if (o.length > 0) problems.push(`${code} is reserved but emitted by step ${o.join(", ")}`);
      } else if (o.length !== 1) problems.push(`${code} is emitted by ${o.length} steps (${o.join(", ")})`);
    }
    for (const code of Object.keys(SHARED)) if ((owners.get(code) ?? []).length !== 1) problems.push(`shared ${code} must still have one owner`);
    assert.deepEqual(problems, []);
  });

  it("gives every emitted code at least one test case", () => {
    const sources = [
      ...files(join(repo, "src"), (p) => p.endsWith(".test.ts") && !p.endsWith("method.test.ts")),
      ...files(join(repo, "test"), (p) => p.endsWith(".ts") || p.endsWith("expect.yaml")),
    ].map((p) => ({ yaml: p.endsWith(".yaml"), text: readFileSync(p, "utf8") }));
    const tested = (c: string) => sources.some((s) => s.text.includes(`"${c}"`) || (s.yaml && new RegExp(`\\b${c}\\b`).test(s.text)));
    const untested = FindingCodeNames.filter((c) => RESERVED[c] === undefined && !tested(c));
    assert.deepEqual(untested, []);
  });

  it("reads only check kinds of the probe contract, and every kind the plan can ask for is read by some step", () => {
    const read = new Set(Method.flatMap((s) => s.reads));
    for (const k of read) assert.ok((CheckKinds as readonly string[]).includes(k), k);
    assert.deepEqual(
      CheckKinds.filter((k) => !read.has(k)),
      [],
    );
  });

  it("shows every target-table row, in method order", () => {
    const rows = Method.flatMap((s) => (s.row ? [s.row] : []));
    assert.deepEqual([...new Set(rows)], [...TargetRows]);
  });

  it("knows each code's layer from the code table (a step cannot report under another layer)", () => {
    for (const s of Method) for (const c of s.codes) assert.ok(FindingCodes[c], c);
  });
});

describe("root-cause precedence is the method's order", () => {
  it("a NotReady node on the path beats an HTTP 5xx and a refused connection found after it (the ranking bug)", () => {
    const http = finding("HTTPErrorStatus", "Critical", { target: "api", message: "GET answered 503" });
    const refused = finding("ConnectionRefused", "Critical", { target: "api", message: "refused" });
    const node = finding("NodeNotReady", "Critical", { target: "api", message: "node-2 NotReady" });
    assert.equal(judge(sortFindings([http, refused, node])).rootCause?.code, "NodeNotReady");
    assert.ok(placeOf("NodeNotReady").step < placeOf("ConnectionRefused").step);
  });

  it("path MTU shows in the L3 row and ranks with L3, before TLS", () => {
    const mtu = finding("PathMTUMismatch", "Warning", { target: "api", message: "mtu" });
    const tls = finding("TLSCertificateExpiringSoon", "Warning", { target: "api", message: "expires" });
    assert.equal(rowOf(mtu), "L3");
    assert.equal(judge(sortFindings([tls, mtu])).rootCause?.code, "PathMTUMismatch");
  });

  it("Critical beats Warning whatever the step, and Info never decides", () => {
    const slow = finding("DNSSlowLookups", "Warning", { target: "api", message: "slow" });
    const refused = finding("ConnectionRefused", "Critical", { target: "api", message: "refused" });
    const icmp = finding("ICMPBlocked", "Info", { target: "api", message: "icmp" });
    assert.equal(judge(sortFindings([slow, refused, icmp])).rootCause?.code, "ConnectionRefused");
    assert.equal(judge(sortFindings([icmp])).rootCause, undefined);
  });

  it("through evaluate: a backend on a NotReady node that answers 503 is reported as NodeNotReady", () => {
    const objects = [
      { kind: "Namespace", metadata: { name: "shop" } },
      { kind: "Node", metadata: { name: "node-2" }, status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }] } },
      {
        kind: "Pod",
        metadata: { name: "api-0", namespace: "shop", labels: { app: "api" } },
        spec: { nodeName: "node-2", containers: [{ name: "api", ports: [{ containerPort: 8080, name: "http" }] }] },
        status: { phase: "Running", podIP: "10.244.2.5", conditions: [{ type: "Ready", status: "True" }] },
      },
      {
        kind: "Service",
        metadata: { name: "api", namespace: "shop" },
        spec: { clusterIP: "10.96.1.1", selector: { app: "api" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
      },
    ] as unknown as ManifestObject[];
    const chk = (check: string, outcome: string, input: Record<string, unknown>, detail: Record<string, unknown> = {}): CheckResult =>
      CheckResultSchema.parse({ check, outcome, durationMs: 4, detail: { input: { check, ...input }, ...detail } });
    const spec = SpecSchema.parse({ targets: [{ name: "api", service: { name: "api", port: 80 } }] });
    const v = evaluate({
      namespace: "shop",
      spec,
      snapshot: snapshotFromObjects(objects, ["shop"]),
      probes: [
        {
          pod: "p-0",
          result: {
            version: 1,
            runId: "r",
            targets: [
              {
                name: "api",
                checks: [
                  chk("tcp", "ok", { host: "10.96.1.1", port: 80, role: "clusterIP" }, { connectMs: 1 }),
                  chk("http", "http-status", { url: "http://api.shop.svc.cluster.local:80/" }, { status: 503 }),
                ],
              },
            ],
          },
        },
      ],
      now: new Date("2026-01-01T00:00:00Z"),
    });
    const codes = v.findings.map((f) => f.code);
    assert.ok(codes.includes("HTTPErrorStatus") && codes.includes("NodeNotReady"), codes.join(", "));
    assert.equal(v.rootCause?.code, "NodeNotReady");
  });
});
