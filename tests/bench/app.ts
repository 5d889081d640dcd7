import { mkdir, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { foundCircle, PASSPHRASE } from "@rhizome/kit/testing";
import { benchEnvironment } from "./measure.js";

/**
 * `npm run bench -- app`: what a member on a cheap phone lives with. Prints the compressed
 * JavaScript downloaded before the home screen, and how long the home screen takes to show a
 * logged-in member's balance on Chromium with a throttled network (1.6 Mbps down, 150 ms round
 * trip) and 4x CPU slowdown, the browser's cache empty.
 */
const REPRODUCE = "npm run bench -- app";
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HUB_READY_TIMEOUT_MS = 5 * 60_000;
const JAVASCRIPT_BUDGET_BYTES = 150 * 1024;
const HOME_BUDGET_MS = 3_000;
const SLOW_PHONE = { downloadBitsPerSecond: 1_600_000, uploadBitsPerSecond: 750_000, latencyMs: 150, cpuSlowdown: 4 };

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
  try {
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    // Starting the hub rebuilds the app when it is stale.
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      env: benchEnvironment(),
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      readyTimeoutMs: HUB_READY_TIMEOUT_MS,
    });
    const gatewayUrl = hub.gatewayUrl!;
    const origin = new URL(gatewayUrl).origin;
    const circle = await foundCircle(gatewayUrl, "bench-app");

    // No service worker: its copy of the app would hide the download a phone makes on its first visit.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: "en-GB",
      serviceWorkers: "block",
    });
    const page = await context.newPage();
    // Log in once, unthrottled, so the session is on the phone as it is for a returning member.
    await page.goto(`${origin}/app/#/login`);
    await page.getByLabel("Circle's short name").fill(circle.slug);
    await page.getByLabel("Handle").fill("founder");
    await page.getByLabel("Passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForSelector('[data-testid="balance"]');

    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: SLOW_PHONE.latencyMs,
      downloadThroughput: SLOW_PHONE.downloadBitsPerSecond / 8,
      uploadThroughput: SLOW_PHONE.uploadBitsPerSecond / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: SLOW_PHONE.cpuSlowdown });
    const javascriptBytes = new Map<string, number>();
    page.on("response", async (response) => {
      if (response.request().resourceType() !== "script") return;
      const sizes = await response
        .request()
        .sizes()
        .catch(() => undefined);
      if (sizes) javascriptBytes.set(response.url(), sizes.responseBodySize);
    });

    const homeMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await cdp.send("Network.clearBrowserCache");
      // The answers kept from last time would show at once: clear them to measure the hub too.
      await page.evaluate(() =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith("rhizome:answer:"))
          .forEach((key) => localStorage.removeItem(key)),
      );
      // A fresh page load, as when the member opens the app (the same address alone would only change its hash).
      await page.goto("about:blank");
      javascriptBytes.clear();
      const startedAtMs = Date.now();
      await page.goto(`${origin}/app/#/home`, { waitUntil: "commit" });
      await page.waitForSelector('[data-testid="balance"]', { timeout: 60_000 });
      homeMs.push(Date.now() - startedAtMs);
    }
    const wireBytes = [...javascriptBytes.values()].reduce((sum, bytes) => sum + bytes, 0);

    // The same figure from the build itself, gzip at level 9 (what the gateway sends).
    const builtPage = readFileSync(path.resolve("app/dist/index.html"), "utf8");
    const entries = [...builtPage.matchAll(/<script[^>]+src="\/app\/([^"]+)"/g)].map((match) => match[1]);
    const builtBytes = entries.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.resolve("app/dist", file)), { level: 9 }).length,
      0,
    );

    const sorted = [...homeMs].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)];
    console.log(
      `\nMember app on a slow phone (${REPRODUCE}; 1.6 Mbps down, 150 ms round trip, 4x CPU slowdown, empty browser cache):`,
    );
    console.log(
      `  JavaScript before the home screen: ${kib(wireBytes)} over the wire (${javascriptBytes.size} file(s)); ${kib(builtBytes)} gzip from the build; budget ${kib(JAVASCRIPT_BUDGET_BYTES)}`,
    );
    console.log(
      `  home screen showing the balance: median ${medianMs} ms of ${ROUNDS} rounds (${homeMs.join(", ")} ms); budget ${HOME_BUDGET_MS} ms`,
    );
    await mkdir("bench-results", { recursive: true });
    await writeFile(
      `bench-results/app-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
      JSON.stringify(
        {
          reproduce: REPRODUCE,
          slowPhone: SLOW_PHONE,
          javascriptWireBytes: wireBytes,
          javascriptGzipBytes: builtBytes,
          homeMs,
          medianHomeMs: medianMs,
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await hub?.stop();
    await stack?.stop();
  }
}
