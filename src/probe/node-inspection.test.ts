import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeListen, parseNodeInspection, socketsByUid } from "./node-inspection.ts";

// A real line of node-probe/netdiag-node-inspect on the lab (CoreDNS pod: [::]:53, 8080, 8181, 9153).
const REAL =
  '{"version":1,"kind":"node-inspection","runId":"abc","node":"lab-node","sampleMs":1954,"tcp":[{"outSegs":858360,"retransSegs":603},{"outSegs":860628,"retransSegs":603}],' +
  '"interfaces":[{"name":"ifb0","before":[0,0,0,0,0,0],"after":[0,0,0,0,0,0]}],"pods":[{"uid":"73c389cc-1d87-4b5b-a073-2bd3954f645b","found":true,"listen":["00000000000000000000000000000000:0035",' +
  '"00000000000000000000000000000000:1F90","00000000000000000000000000000000:1FF5","00000000000000000000000000000000:23C1"]},{"uid":"00000000-0000-0000-0000-000000000000","found":false,"listen":[]}],' +
  '"conntrack":{"count":2531,"max":262144}}';

describe("node inspection results", () => {
  it("decodes /proc/net/tcp and tcp6 local addresses", () => {
    assert.deepEqual(decodeListen("0100007F:1F90"), { address: "127.0.0.1", port: 8080, protocol: "TCP" });
    assert.deepEqual(decodeListen("00000000:0050"), { address: "0.0.0.0", port: 80, protocol: "TCP" });
    assert.deepEqual(decodeListen("0A0B12C6:20FB"), { address: "198.18.11.10", port: 8443, protocol: "TCP" });
    assert.equal(decodeListen("00000000000000000000000000000000:0035").address, "::");
    assert.equal(decodeListen("00000000000000000000000001000000:0035").address, "::1");
    assert.equal(decodeListen("0000000000000000FFFF00000100007F:1F90").address, "127.0.0.1", "IPv4-mapped");
    assert.equal(decodeListen("B80D0120000000000000000001000000:0050").address, "2001:db8::1");
  });

  it("reads a real result: sockets per pod found, none for a pod not on the node", () => {
    const r = parseNodeInspection(`some log line\n${REAL}\n`);
    assert.ok(r.ok, r.ok ? "" : r.error);
    const s = socketsByUid(r.inspection);
    assert.deepEqual(
      s.get("73c389cc-1d87-4b5b-a073-2bd3954f645b")?.map((x) => x.port),
      [53, 8080, 8181, 9153],
    );
    assert.equal(s.has("00000000-0000-0000-0000-000000000000"), false);
  });

  it("refuses what the contract does not allow, saying what is wrong", () => {
    assert.equal(parseNodeInspection("not json").ok, false);
    const bad = parseNodeInspection(REAL.replace('"0100007F', '"zz').replace("00000000000000000000000000000000:0035", "../../etc/passwd"));
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? "" : bad.error, /does not match the contract/);
  });
});
