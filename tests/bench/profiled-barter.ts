// The barter service under the V8 CPU profiler, for `BENCH_PROFILE=1 npm run bench -- barter`:
// the profile is written when the hub stops the service, to show where a confirmation's time goes.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";

const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");
process.once("SIGTERM", () => {
  session.post("Profiler.stop", (error, result) => {
    if (!error) writeFileSync(process.env.BENCH_PROFILE_FILE ?? "barter.cpuprofile", JSON.stringify(result.profile));
  });
});
await import("../../services/barter/src/main.js");
