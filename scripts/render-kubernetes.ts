/** `npm run render:kubernetes`: writes infra/deploy/kubernetes/ from SERVICES (see infra/src/kubernetes.ts). */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderKubernetes } from "../infra/src/kubernetes.js";

const folder = fileURLToPath(new URL("../infra/deploy/kubernetes/", import.meta.url));
rmSync(folder, { recursive: true, force: true });
const files = renderKubernetes();
for (const [file, content] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
  writeFileSync(path.join(folder, file), content);
}
console.log(`Wrote ${Object.keys(files).length} files to infra/deploy/kubernetes/.`);
