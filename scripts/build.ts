/**
 * `npm run build`: type-checks the repository and compiles every workspace's src/ to dist/.
 * `npm run build -- --if-stale`: only recompiles what changed since, without a type check
 * (what `npm start` runs first, so an edit is never served stale).
 */
import { buildAll, refreshStaleOutputs } from "../infra/src/build.js";

const startedAtMs = performance.now();
const seconds = () => ((performance.now() - startedAtMs) / 1000).toFixed(1);

if (process.argv.includes("--if-stale")) {
  const refreshed = await refreshStaleOutputs();
  if (refreshed.length > 0)
    console.log(
      `Recompiled ${refreshed.length} changed file(s) in ${seconds()} s (no type check; npm run build checks types).`,
    );
} else {
  const { errors, emitted } = await buildAll();
  if (errors) {
    process.stderr.write(errors);
    console.error(`\nType errors (above); compiled ${emitted} files anyway in ${seconds()} s.`);
    process.exitCode = 1;
  } else {
    console.log(`Type-checked and compiled ${emitted} files in ${seconds()} s.`);
  }
}
