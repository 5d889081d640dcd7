// `npm run bench -- <name>`: runs one benchmark and prints its figures. Not part of `npm test`.
const benchmarks: Record<string, () => Promise<{ runBenchmark: () => Promise<void> }>> = {
  barter: () => import("./barter.js"),
  access: () => import("./access.js"),
  defense: () => import("./defense.js"),
  governance: () => import("./governance.js"),
  tools: () => import("./tools.js"),
  sovereignty: () => import("./sovereignty.js"),
  gateway: () => import("./gateway.js"),
  subgraph: () => import("./subgraph.js"),
  scaleout: () => import("./scaleout.js"),
  app: () => import("./app.js"),
  federation: () => import("./federation.js"),
  city: () => import("./city.js"),
};

const name = process.argv[2];
const load = name ? benchmarks[name] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <name>, where name is one of: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
// Exiting runs infra's last-resort exit hooks, which stop the hub's processes and Postgres.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nBenchmark interrupted (${signal}); stopping its processes.`);
    process.exit(130);
  });
}

try {
  await (await load()).runBenchmark();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
