/**
 * `npm run gen:crd`: writes crds/netdiag.dev_networkdiagnoses.yaml (and the Helm chart's copy)
 * from the zod schema.
 * `--check` exits 1 when the committed file is stale.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { crdYaml } from "./crd-yaml.ts";

const paths = ["../../crds/netdiag.dev_networkdiagnoses.yaml", "../../charts/netdiag/crds/netdiag.dev_networkdiagnoses.yaml"].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);
const want = crdYaml();
for (const path of paths) {
  if (process.argv.includes("--check")) {
    let have = "";
    try {
      have = readFileSync(path, "utf8");
    } catch {}
    if (have !== want) {
      console.error(`${path} is stale: run npm run gen:crd`);
      process.exit(1);
    }
    console.log(`${path} is up to date`);
  } else {
    writeFileSync(path, want);
    console.log(`wrote ${path}`);
  }
}
