/**
 * `npm run gen:crd`: writes crds/netdiag.dev_networkdiagnoses.yaml from the zod schema.
 * `--check` exits 1 when the committed file is stale.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { crdYaml } from "./crd-yaml.ts";

const path = fileURLToPath(new URL("../../crds/netdiag.dev_networkdiagnoses.yaml", import.meta.url));
const want = crdYaml();
if (process.argv.includes("--check")) {
  let have = "";
  try {
    have = readFileSync(path, "utf8");
  } catch {}
  if (have !== want) {
    console.error(`${path} is stale: run npm run gen:crd`);
    process.exit(1);
  }
  console.log("CRD is up to date");
} else {
  writeFileSync(path, want);
  console.log(`wrote ${path}`);
}
