import { GATEWAY_SIGNATURE_HEADER, gatewaySignatureSource } from "@rhizome/kit/auth";
import { clockFileHistory, DEMO_HISTORY_SETTINGS, type ClockFileHistory } from "./demo-history.js";
import { startHub, type HubOptions, type RunningHub } from "./hub.js";
import { seedDemoNetwork, type DemoCircle, type SeedResult } from "./seed.js";
import { availableServices } from "./services.js";
import { secondsSince, throwIfAborted } from "./timing.js";

/**
 * Seeds the demo circles and their activity on an empty hub, straight at each service with the
 * gateway's signature: a subgraph that answers only the gateway (production mode) takes the seed
 * too, and a gateway that runs only registered operations is not in the way. With `history`, the
 * hub runs on its clock file and the activity spans past cycles.
 */
export async function seedDemoHub(
  running: RunningHub,
  tokenSecret: string,
  options: { operatorKey?: string; history?: ClockFileHistory; circles?: readonly DemoCircle[] } = {},
): Promise<SeedResult> {
  const signatureOf = gatewaySignatureSource(tokenSecret);
  return seedDemoNetwork({
    networkGraphqlUrl: `${running.serviceUrls.network}/graphql`,
    headers: { [GATEWAY_SIGNATURE_HEADER]: await signatureOf("network") },
    operatorKey: options.operatorKey,
    circles: options.circles,
    activity: {
      serviceUrls: running.serviceUrls,
      headersFor: async (service) => ({ [GATEWAY_SIGNATURE_HEADER]: await signatureOf(service) }),
      history: options.history,
    },
  });
}

export interface DemoHubOptions extends HubOptions {
  /** Sent as x-operator-key on createCircle, for hubs where only the operator founds circles. */
  operatorKey?: string;
  /** The demo circles (default DEMO_CIRCLES). */
  circles?: readonly DemoCircle[];
  /** Called with each process start: the seeding hub's, then the hub's for good (`npm start` stops whichever runs). */
  onHub?: (hub: RunningHub | undefined) => void;
  /** How many past lunar cycles to live (default DEMO_PAST_CYCLES). */
  pastCycles?: number;
  /** Called before the services start on the moved clock, with how many past cycles are seeded. */
  onSeeding?: (pastCycles: number) => void;
}

export interface DemoHub {
  hub: RunningHub;
  seed: SeedResult;
  /** How long each step took, for the ready line. */
  timings: string[];
}

/**
 * An empty hub seeded with past lunar cycles of activity, then running on the system's clock.
 * The services start on a clock file an hour into the oldest past cycle (never in production,
 * where the kit refuses a clock file), the seed lives each cycle through their APIs and waits for
 * their new-moon jobs (see seedDemoActivity and clockFileHistory), and the services are started
 * again without the clock file, from where the seed left off: the system's time. Their output is
 * kept while the clock moves (weeks pass in seconds, and tools' reminders, due by the machine's
 * time and not yet by theirs, would fill the screen) and shown if a process fails.
 */
export async function startDemoHub(options: DemoHubOptions): Promise<DemoHub> {
  const { operatorKey, circles, onHub, onSeeding, pastCycles, ...hubOptions } = options;
  const env = hubOptions.env ?? process.env;
  const timings: string[] = [];
  const history = await clockFileHistory({
    databaseUrl: hubOptions.databaseUrl,
    redisUrl: hubOptions.redisUrl,
    tokenSecret: hubOptions.tokenSecret,
    services: (hubOptions.services ?? availableServices()).map((service) => service.name),
    pastCycles,
  });
  let seeding: RunningHub | undefined;
  try {
    onSeeding?.(history.pastCycles);
    const seedingStartedAtMs = performance.now();
    seeding = await startHub({
      ...hubOptions,
      env: { ...env, ...DEMO_HISTORY_SETTINGS, CLOCK_FILE: history.clockFile },
      output: "tail",
    });
    onHub?.(seeding);
    timings.push(`services and gateway on the demo's clock ${secondsSince(seedingStartedAtMs)} s`);
    const seedStartedAtMs = performance.now();
    await history.waitForSchedules();
    const seed = await seedDemoHub(seeding, hubOptions.tokenSecret, { operatorKey, history, circles });
    timings.push(`seed ${secondsSince(seedStartedAtMs)} s`);
    throwIfAborted(hubOptions.signal);

    const restartedAtMs = performance.now();
    await seeding.stop();
    seeding = undefined;
    onHub?.(undefined);
    const hub = await startHub(hubOptions);
    onHub?.(hub);
    timings.push(`services and gateway on the system clock ${secondsSince(restartedAtMs)} s`);
    return { hub, seed, timings };
  } finally {
    await seeding?.stop();
    await history.close();
  }
}
