import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiErrorFor } from "../k8s/errors.ts";
import type { Obj } from "../k8s/rest.ts";
import { DefaultAdminPolicy } from "./admin-policy.ts";
import { Reconciler, type ReconcilerReads, type ReconcilerWrites } from "./reconciler.ts";

/**
 * The reconciler's decisions against fakes of what it reads (the caches) and writes (the
 * API server). The fake API applies status merge patches like the real one (top-level
 * keys, null deletes) and bumps an opaque resourceVersion; the fake cache lags behind
 * until `sync()`, like an informer.
 */
type Diag = { metadata: Record<string, any>; spec: Record<string, unknown>; status?: Record<string, any> };
const NS = "shop";
const NAME = "to-backend";
const spec = { targets: [{ name: "backend", host: "198.18.0.5", port: 80 }], timeoutSeconds: 10 };

class Fake {
  stored: Diag;
  cached: Diag;
  pods: Obj[] = [];
  created: Obj[] = [];
  events: { reason: string; note: string }[] = [];
  createError: (() => Error) | undefined;
  private rv = 100;
  constructor(s: Record<string, unknown> = spec, status?: Record<string, unknown>) {
    this.stored = { metadata: { name: NAME, namespace: NS, uid: "uid-1", generation: 1, resourceVersion: "rv-100" }, spec: s, ...(status ? { status } : {}) };
    this.cached = structuredClone(this.stored);
  }
  sync(): void {
    this.cached = structuredClone(this.stored);
  }
  readonly reads: ReconcilerReads = {
    informers: { diagnoses: { get: () => this.cached as unknown as Obj }, pods: { list: () => this.pods } },
    snapshot: () => ({ namespaces: [{ metadata: { name: NS } }] }) as never,
  };
  readonly writes: ReconcilerWrites = {
    create: (async (_path: string, body: Obj) => {
      if (this.createError) throw this.createError();
      this.created.push(body);
      return body;
    }) as never,
    delete: (async () => ({})) as never,
    request: (async () => "") as never,
    patch: (async (_path: string, body: { status: Record<string, unknown> }) => {
      const status: Record<string, unknown> = { ...(this.stored.status ?? {}) };
      for (const [k, v] of Object.entries(body.status))
        if (v === null) delete status[k];
        else status[k] = v;
      this.stored = { ...this.stored, metadata: { ...this.stored.metadata, resourceVersion: `rv-${++this.rv}` }, status };
      return structuredClone(this.stored);
    }) as never,
  };
}

function reconciler(f: Fake, now: () => Date, extra: Partial<ConstructorParameters<typeof Reconciler>[0]> = {}) {
  return new Reconciler({
    rest: f.writes,
    cache: f.reads,
    events: { record: async (_t, e) => void f.events.push({ reason: e.reason, note: e.note }) },
    policy: DefaultAdminPolicy("nicolaka/netshoot:v0.13", "netdiag-system"),
    probeScript: "echo",
    pendingTimeoutMs: 60_000,
    keepFailedRuns: 1,
    now,
    ...extra,
  });
}

const cond = (d: Diag, type: string) =>
  (d.status?.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === type);
const key = `${NS}/${NAME}`;
const t0 = new Date("2026-12-02T10:00:00Z");
const at = (s: number) => () => new Date(t0.getTime() + s * 1000);

type Plan = { runId: string; targets: { name: string; checks: { check: string }[] }[] };
/** A probe result in the contract's shape where every check of the plan succeeded. */
const allOkResult = (plan: Plan) => ({
  version: 1,
  runId: plan.runId,
  node: "lab-node-1",
  podIP: "198.18.0.250",
  context: { resolvConf: { nameservers: ["198.19.0.10"], search: ["svc.cluster.local"], ndots: 5 } },
  targets: plan.targets.map((t) => ({
    name: t.name,
    checks: t.checks.map((c) => ({ check: c.check, outcome: "ok", durationMs: 2, detail: { connectMs: 1, input: c } })),
  })),
});

/** The created pod as the informer would list it, terminated with the probe's result. */
function finished(pod: Obj): Obj {
  const env = (pod as any).spec.containers[0].env as { name: string; value?: string }[];
  const plan = JSON.parse(env.find((e) => e.name === "NETDIAG_PLAN")?.value ?? "{}") as Plan;
  const message = JSON.stringify(allOkResult(plan));
  return {
    ...pod,
    status: { phase: "Succeeded", containerStatuses: [{ name: "probe", state: { terminated: { exitCode: 0, reason: "Completed", message } } }] },
  } as Obj;
}

describe("Reconciler decisions", () => {
  it("starts a run by writing status.activeRun before it creates the probe pod", async () => {
    const f = new Fake();
    const r = reconciler(f, at(0));
    const res = await r.reconcile(key);
    assert.equal(f.created.length, 1);
    assert.ok(f.stored.status?.activeRun?.id, "activeRun recorded");
    assert.equal((f.created[0] as any).metadata.labels["netdiag.dev/run-id"], f.stored.status?.activeRun?.id);
    assert.deepEqual(res, { requeueAfterMs: 1000 }, "polls for the pod");
  });

  it("resumes the active run after a restart: no new run, no duplicate pod, the old pod's result is used", async () => {
    const first = new Fake();
    await reconciler(first, at(0)).reconcile(key);
    const pod = first.created[0] as Obj;
    // A new operator process: fresh reconciler, the informer has the stored object and the pod.
    first.sync();
    first.pods = [finished(pod)];
    const runId = first.stored.status?.activeRun?.id;
    first.created = [];
    const res = await reconciler(first, at(3)).reconcile(key);
    assert.equal(first.created.length, 0, "no duplicate probe pod");
    assert.equal(first.stored.status?.lastRun?.id, runId, "the resumed run finished");
    assert.equal(first.stored.status?.activeRun, undefined);
    assert.equal(cond(first.stored, "Completed")?.status, "True");
    assert.equal(res, undefined);
  });

  it("does not act on a stale cache after its own write (resourceVersion compared for equality only)", async () => {
    const f = new Fake();
    const r = reconciler(f, at(0));
    await r.reconcile(key); // the cache still shows the object without activeRun
    const runId = f.stored.status?.activeRun?.id;
    await r.reconcile(key);
    assert.equal(f.stored.status?.activeRun?.id, runId, "the same run continues, no second run started");
    assert.equal(f.created.length, 2, "the same deterministic pod name is asked for again (AlreadyExists in real life)");
    assert.equal((f.created[0] as any).metadata.name, (f.created[1] as any).metadata.name);
  });

  it("ends the run at once with ProbePodRejected when the API server refuses the pod (terminal, no retry)", async () => {
    const f = new Fake();
    f.createError = () =>
      apiErrorFor(403, { reason: "Forbidden", message: 'pods "x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true' }, "create pod");
    const res = await reconciler(f, at(0)).reconcile(key);
    assert.equal(res, undefined, "no requeue");
    assert.equal(f.stored.status?.rootCause?.code, "ProbePodRejected");
    assert.match(f.stored.status?.rootCause?.message ?? "", /violates PodSecurity/);
    assert.equal(cond(f.stored, "Healthy")?.status, "Unknown");
    assert.equal(cond(f.stored, "Completed")?.status, "True");
  });

  it("retries a transient create error before the deadline, and reports ProbeNotScheduled after it", async () => {
    const f = new Fake();
    f.createError = () => apiErrorFor(500, { reason: "InternalError", message: "etcdserver: request timed out" }, "create pod");
    await assert.rejects(reconciler(f, at(0)).reconcile(key), /etcdserver/);
    f.sync();
    const res = await reconciler(f, at(60)).reconcile(key); // timeoutSeconds 10 + grace 15 s are over
    assert.equal(res, undefined);
    assert.equal(f.stored.status?.rootCause?.code, "ProbeNotScheduled");
    assert.match(f.stored.status?.rootCause?.message ?? "", /could not be created before the run's deadline: .*etcdserver/);
  });

  for (const [what, targets] of [
    [
      "duplicate target names",
      [
        { name: "x", host: "198.18.0.5", port: 80 },
        { name: "x", host: "198.18.0.6", port: 80 },
      ],
    ],
    ["a URL port out of range", [{ name: "x", url: "http://a:99999/" }]],
    ["a URL new URL rejects", [{ name: "x", url: "http://%zz/" }]],
  ] as const) {
    it(`reports an invalid spec (${what}) as InvalidSpec without creating anything or retrying`, async () => {
      const f = new Fake({ targets });
      const res = await reconciler(f, at(0)).reconcile(key);
      assert.equal(res, undefined);
      assert.equal(f.created.length, 0);
      assert.equal(cond(f.stored, "Completed")?.reason, "InvalidSpec");
    });
  }

  it("refuses a spec the admin's policy does not allow, terminal until the spec changes", async () => {
    const f = new Fake({ ...spec, source: { nodes: { selector: {} } } });
    const r = reconciler(f, at(0));
    assert.equal(await r.reconcile(key), undefined);
    assert.equal(f.created.length, 0);
    assert.equal(cond(f.stored, "Completed")?.reason, "NotAllowedByPolicy");
    assert.equal(cond(f.stored, "SpecAllowed")?.status, "False");
    assert.deepEqual(
      f.events.map((e) => e.reason),
      ["NotAllowedByPolicy"],
    );
    f.sync();
    await r.reconcile(key);
    assert.equal(f.events.length, 1, "no second Event for the same refusal");
  });

  it("runs the default image in place of one off the allowlist, and says so once", async () => {
    const f = new Fake({ ...spec, probeImage: "evil/image:1" });
    await reconciler(f, at(0)).reconcile(key);
    assert.equal((f.created[0] as any).spec.containers[0].image, "nicolaka/netshoot:v0.13");
    assert.equal(cond(f.stored, "SpecAllowed")?.reason, "ProbeImageNotAllowed");
    assert.deepEqual(
      f.events.map((e) => e.reason),
      ["ProbeImageNotAllowed"],
    );
  });
});

describe("node inspection in the reconcile", () => {
  it("runs node probes with the admin's image in the operator's namespace, never the spec's probeImage", async () => {
    const f = new Fake({ ...spec, probeImage: "mirror.example/netshoot:v1" });
    const r = reconciler(f, at(0), {
      policy: { ...DefaultAdminPolicy("nicolaka/netshoot:v0.13", "netdiag-system"), imageAllowlist: ["mirror.example/netshoot*"] },
      nodeInspection: { namespace: "netdiag-system", script: "echo" },
    });
    await r.reconcile(key);
    f.sync();
    await r.reconcile(key);
    const probe = f.created.find((p) => (p.metadata as { namespace?: string }).namespace === NS) as {
      metadata: Record<string, unknown>;
      spec: { containers: { image: string }[] };
    };
    assert.equal(probe.spec.containers[0]?.image, "mirror.example/netshoot:v1", "the allowlisted spec image runs the tenant's probe");
    // the probe pod got scheduled on n1: the next pass inspects that node
    f.pods = [{ ...probe, spec: { ...probe.spec, nodeName: "n1" }, status: { phase: "Pending" } } as unknown as Obj];
    await r.reconcile(key);
    const node = f.created.find((p) => (p.metadata as { namespace?: string }).namespace === "netdiag-system") as
      { spec: { nodeName: string; hostPID: boolean; containers: { image: string }[] } } | undefined;
    assert.ok(node, `no node probe created: ${JSON.stringify(f.created.map((p) => p.metadata))}`);
    assert.equal(node.spec.nodeName, "n1");
    assert.equal(node.spec.hostPID, true);
    assert.equal(node.spec.containers[0]?.image, "nicolaka/netshoot:v0.13");
  });
});

describe("the probe inside the source pod (spec.source.pod, ADR 0014)", () => {
  const inPod = { ...spec, source: { pod: { name: "web-0", container: "app" } } };
  type Patched = { path: string; body: { spec: { ephemeralContainers: Record<string, any>[] } } };
  const webPod = (extra: { ephemeral?: Record<string, any>[]; statuses?: Record<string, any>[]; phase?: string } = {}) => ({
    metadata: { name: "web-0", namespace: NS, uid: "pod-uid-1", labels: { app: "web", "pod-template-hash": "abc" } },
    spec: { nodeName: "n1", containers: [{ name: "app" }], ...(extra.ephemeral ? { ephemeralContainers: extra.ephemeral } : {}) },
    status: {
      phase: extra.phase ?? "Running",
      podIP: "198.18.0.9",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [{ name: "app", state: extra.phase === "Pending" ? { waiting: { reason: "PodInitializing" } } : { running: {} } }],
      ...(extra.statuses ? { ephemeralContainerStatuses: extra.statuses } : {}),
    },
  });
  function inPodReconciler(f: Fake, pods: () => unknown[], patched: Patched[], patchError?: () => Error) {
    return (now: () => Date) =>
      reconciler(f, now, {
        rest: {
          ...f.writes,
          patch: (async (path: string, body: never, type?: string) => {
            if (!path.endsWith("/ephemeralcontainers")) return (f.writes.patch as any)(path, body, type);
            if (patchError) throw patchError();
            assert.equal(type, "StrategicMergePatch");
            patched.push({ path, body });
            return {};
          }) as never,
        },
        cache: { ...f.reads, snapshot: () => ({ namespaces: [{ metadata: { name: NS } }], pods: pods() }) as never },
      });
  }

  it("adds one restricted ephemeral container to the named pod instead of creating a probe pod, then reads its result", async () => {
    const f = new Fake(inPod);
    const patched: Patched[] = [];
    let pod: unknown = webPod();
    let clock = at(0);
    const one = inPodReconciler(f, () => [pod], patched)(() => clock()); // one process, its clock moving
    const r = (now: () => Date) => ((clock = now), one);
    assert.deepEqual(await r(at(0)).reconcile(key), { requeueAfterMs: 1000 });
    assert.equal(f.created.length, 0, "no probe pod");
    assert.equal(patched.length, 1);
    assert.equal(patched[0]!.path, `/api/v1/namespaces/${NS}/pods/web-0/ephemeralcontainers`);
    const c = patched[0]!.body.spec.ephemeralContainers[0]!;
    const runId = f.stored.status?.activeRun?.id as string;
    assert.equal(c.name, `netdiag-${runId}`);
    assert.equal(c.targetContainerName, "app");
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    // the cache has not caught up yet: no second container for the same run
    f.sync();
    assert.deepEqual(await r(at(1)).reconcile(key), { requeueAfterMs: 1000 });
    assert.equal(patched.length, 1, "added once per run");
    // the kubelet ran it: its termination message carries the probe's result
    const plan = JSON.parse(c.env.find((e: { name: string }) => e.name === "NETDIAG_PLAN").value) as Plan;
    pod = webPod({
      ephemeral: [{ name: c.name }],
      statuses: [{ name: c.name, state: { terminated: { exitCode: 0, reason: "Completed", message: JSON.stringify(allOkResult(plan)) } } }],
    });
    f.sync();
    assert.equal(await r(at(3)).reconcile(key), undefined);
    assert.equal(f.stored.status?.lastRun?.id, runId);
    assert.equal(cond(f.stored, "Healthy")?.status, "True", JSON.stringify(f.stored.status?.rootCause));
    assert.equal(patched.length, 1);
    assert.equal(f.created.length, 0);
  });

  it("ends with ProbePodRejected naming the opt-in ClusterRole when the operator may not add ephemeral containers", async () => {
    const f = new Fake(inPod);
    const forbidden = () =>
      apiErrorFor(
        403,
        {
          reason: "Forbidden",
          message:
            'pods "web-0" is forbidden: User "system:serviceaccount:netdiag-system:netdiag-operator" cannot patch resource "pods/ephemeralcontainers" in API group "" in the namespace "shop"',
        },
        "patch pod",
      );
    const r = inPodReconciler(f, () => [webPod()], [], forbidden);
    assert.equal(await r(at(0)).reconcile(key), undefined, "terminal, no retry");
    assert.equal(f.stored.status?.rootCause?.code, "ProbePodRejected");
    assert.match(f.stored.status?.rootCause?.message ?? "", /refused the ephemeral probe container \(403\).*netdiag-operator-ephemeral/);
    assert.equal(cond(f.stored, "Completed")?.status, "True");
  });

  it("refuses to add a sixth netdiag ephemeral container to a pod (they stay until the pod is replaced)", async () => {
    const f = new Fake(inPod);
    const patched: Patched[] = [];
    const old = ["a", "b", "c", "d", "e"].map((x) => ({ name: `netdiag-old${x}` }));
    const r = inPodReconciler(f, () => [webPod({ ephemeral: [...old, { name: "debugger-1" }] })], patched);
    assert.equal(await r(at(0)).reconcile(key), undefined);
    assert.equal(patched.length, 0);
    assert.equal(f.stored.status?.rootCause?.code, "ProbePodRejected");
    assert.match(f.stored.status?.rootCause?.message ?? "", /already carries 5 netdiag ephemeral containers/);
  });

  it("names a missing source pod as SourcePodNotFound, without adding or creating anything", async () => {
    const f = new Fake(inPod);
    const patched: Patched[] = [];
    const r = inPodReconciler(f, () => [], patched);
    assert.equal(await r(at(0)).reconcile(key), undefined);
    assert.equal(patched.length + f.created.length, 0);
    assert.equal(f.stored.status?.rootCause?.code, "SourcePodNotFound");
    assert.match(f.stored.status?.rootCause?.message ?? "", /web-0/);
  });

  it("takes the API server's refusal to change an existing ephemeral container as already added (a restart within cache lag)", async () => {
    const f = new Fake(inPod);
    const exists = () =>
      apiErrorFor(
        422,
        {
          reason: "Invalid",
          message: 'Pod "web-0" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "netdiag-x" may not be changed',
        },
        "patch pod",
      );
    const r = inPodReconciler(f, () => [webPod()], [], exists);
    assert.deepEqual(await r(at(0)).reconcile(key), { requeueAfterMs: 1000 }, "waits for its result");
    assert.equal(f.stored.status?.rootCause, undefined);
  });

  it("adds nothing to a pod whose container is not running: waits, then says so as a probe failure", async () => {
    const f = new Fake(inPod);
    const patched: Patched[] = [];
    const r = inPodReconciler(f, () => [webPod({ phase: "Pending" })], patched);
    assert.deepEqual(await r(at(0)).reconcile(key), { requeueAfterMs: 1000 }, "a starting pod gets time");
    f.sync();
    assert.equal(await r(at(40)).reconcile(key), undefined, "past the run's timeout (10 s): ends");
    assert.equal(patched.length, 0, "no ephemeral container added for good to a pod that cannot run it");
    assert.equal(f.stored.status?.rootCause?.code, "ProbeNotScheduled");
    assert.match(
      f.stored.status?.rootCause?.message ?? "",
      /web-0 \(spec\.source\.pod\) is Pending and its container app is not running \(app: PodInitializing\)/,
    );
  });
});
