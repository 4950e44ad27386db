/**
 * The operator process: config -> Operator -> run until SIGTERM/SIGINT, then shut down
 * gracefully (finish reconciles in flight, release the leader Lease).
 *
 * @module
 */
import { pino } from "pino";
import { ConfigError, loadConfig } from "./operator/config.ts";
import { Operator } from "./operator/operator.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`netdiag operator: ${err instanceof ConfigError || err instanceof TypeError ? err.message : String(err)}`);
    process.exit(2);
  }
  const log = pino({ level: config.logLevel, base: { identity: config.identity } });
  const op = new Operator(config, log);
  const port = await op.start();
  log.info({ port, probeImage: config.probeImage, leaderElection: config.leaderElection }, "netdiag operator started");
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    op.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
