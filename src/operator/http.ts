/**
 * The operator's one HTTP port: /healthz (the process is alive), /readyz (caches synced and
 * the API server answering them: readiness.ts),
 * /metrics (Prometheus text).
 *
 * @module
 */
import { createServer, type Server } from "node:http";
import type { Readiness } from "./readiness.ts";

export interface HttpSources {
  ready: () => Readiness;
  metrics: () => Promise<string>;
  metricsContentType: string;
}

export function startHttp(port: number, s: HttpSources): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/readyz") {
      const r = s.ready();
      res.writeHead(r.ready ? 200 : 503, { "content-type": "text/plain" }).end(r.ready ? "ok\n" : `${r.reason}\n`);
    } else if (path === "/metrics") {
      s.metrics().then(
        (text) => res.writeHead(200, { "content-type": s.metricsContentType }).end(text),
        (err) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${String(err)}\n`),
      );
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}
