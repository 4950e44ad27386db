/**
 * The one helper that writes Events (events.k8s.io/v1), so `kubectl describe` and
 * `kubectl events` show what the operator concluded. Failures to record are logged,
 * never fatal.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { microTime } from "../runtime/time.ts";
import type { Rest } from "./rest.ts";

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid?: string; resourceVersion?: string };
}

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  action: string;
  note: string;
}

export class EventRecorder {
  private readonly rest: Rest;
  private readonly controller: string;
  private readonly instance: string;
  private readonly log: ((msg: string, err?: unknown) => void) | undefined;
  constructor(rest: Rest, controller: string, instance: string, log?: (msg: string, err?: unknown) => void) {
    this.rest = rest;
    this.controller = controller;
    this.instance = instance;
    this.log = log;
  }

  async record(target: EventTarget, e: EventInput, now = new Date()): Promise<void> {
    const ns = target.metadata.namespace;
    const body = {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: `${target.metadata.name}.${now.getTime().toString(16)}${randomBytes(3).toString("hex")}`, namespace: ns },
      eventTime: microTime(now),
      reportingController: this.controller,
      reportingInstance: this.instance,
      action: e.action,
      reason: e.reason,
      type: e.type,
      note: e.note.length > 1000 ? `${e.note.slice(0, 1000)}…` : e.note,
      regarding: {
        apiVersion: target.apiVersion,
        kind: target.kind,
        name: target.metadata.name,
        namespace: ns,
        uid: target.metadata.uid,
        resourceVersion: target.metadata.resourceVersion,
      },
    };
    try {
      await this.rest.create(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, body);
    } catch (err) {
      this.log?.(`event ${e.reason} on ${ns}/${target.metadata.name} not recorded`, err);
    }
  }
}
