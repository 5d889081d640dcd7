import { describe, expect, it } from "vitest";
import { MAX_CYCLE_JOB_REST_MS, cycleJobPacer, cycleJobRestMs, type PacingTimer } from "../src/jobs/pacing.js";

/** A timer that moves only when told: `sleep` resolves when `advance` passes its end, or on abort. */
function manualTimer() {
  let now = 0;
  const sleepers: Array<{ until: number; wake(): void }> = [];
  const timer: PacingTimer & { advance(ms: number): Promise<void>; sleeping(): number[] } = {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        const sleeper = { until: now + ms, wake: resolve };
        sleepers.push(sleeper);
        signal.addEventListener(
          "abort",
          () => {
            sleepers.splice(sleepers.indexOf(sleeper), 1);
            resolve();
          },
          { once: true },
        );
      }),
    async advance(ms) {
      now += ms;
      for (const sleeper of sleepers.filter((s) => s.until <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
      await settle();
    },
    sleeping: () => sleepers.map((s) => s.until - now),
  };
  return timer;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Work that takes `ms` of the manual timer's time, and says when it started. */
function workOf(timer: ReturnType<typeof manualTimer>, started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    async finishAfter(ms: number) {
      await timer.advance(ms);
      finish();
      await settle();
    },
  };
}

describe("the rest after a cycle job run", () => {
  it("is the pace times what the run took", () => {
    expect(cycleJobRestMs(200, 3)).toBe(600);
    expect(cycleJobRestMs(150, 0.5)).toBe(75);
  });

  it("is nothing at pace 0, or after a run that took no time", () => {
    expect(cycleJobRestMs(5_000, 0)).toBe(0);
    expect(cycleJobRestMs(0, 3)).toBe(0);
  });

  it("never exceeds the longest rest, however long the run", () => {
    expect(cycleJobRestMs(60_000, 3)).toBe(MAX_CYCLE_JOB_REST_MS);
  });
});

describe("the cycle job pacer", () => {
  it("starts the next run only once its slot has rested pace times the last run", async () => {
    const timer = manualTimer();
    const pacer = cycleJobPacer(1, 3, timer);
    const started: string[] = [];
    const first = workOf(timer, started, "first");
    const second = workOf(timer, started, "second");
    const firstDone = pacer.paced(first.run);
    const secondDone = pacer.paced(second.run);
    await settle();
    expect(started).toEqual(["first"]);

    await first.finishAfter(100);
    expect(await firstDone).toBe("first");
    expect(timer.sleeping()).toEqual([300]);
    await timer.advance(299);
    expect(started).toEqual(["first"]);
    await timer.advance(1);
    expect(started).toEqual(["first", "second"]);
    await second.finishAfter(10);
    expect(await secondDone).toBe("second");
  });

  it("runs as many at once as it has slots, each resting on its own", async () => {
    const timer = manualTimer();
    const pacer = cycleJobPacer(2, 1, timer);
    const started: string[] = [];
    const works = ["a", "b", "c"].map((name) => workOf(timer, started, name));
    const done = works.map((work) => pacer.paced(work.run));
    await settle();
    expect(started).toEqual(["a", "b"]);

    await works[0].finishAfter(40);
    await timer.advance(39);
    expect(started).toEqual(["a", "b"]);
    await timer.advance(1);
    expect(started).toEqual(["a", "b", "c"]);
    await works[1].finishAfter(0);
    await works[2].finishAfter(0);
    expect(await Promise.all(done)).toEqual(["a", "b", "c"]);
  });

  it("rests after a run that failed too, and hands its error back", async () => {
    const timer = manualTimer();
    const pacer = cycleJobPacer(1, 2, timer);
    const failing = pacer.paced(async () => {
      await timer.advance(50);
      throw new Error("the page failed");
    });
    await expect(failing).rejects.toThrow("the page failed");
    expect(timer.sleeping()).toEqual([100]);
  });

  it("at pace 0 lets the next run start as soon as a slot is free", async () => {
    const timer = manualTimer();
    const pacer = cycleJobPacer(1, 0, timer);
    const started: string[] = [];
    const first = workOf(timer, started, "first");
    const second = workOf(timer, started, "second");
    const done = [pacer.paced(first.run), pacer.paced(second.run)];
    await settle();
    await first.finishAfter(1_000);
    expect(started).toEqual(["first", "second"]);
    expect(timer.sleeping()).toEqual([]);
    await second.finishAfter(0);
    await Promise.all(done);
  });

  it("once stopped, ends the rest under way and rests no more, so a closing worker drains at once", async () => {
    const timer = manualTimer();
    const pacer = cycleJobPacer(1, 3, timer);
    const started: string[] = [];
    const first = workOf(timer, started, "first");
    const second = workOf(timer, started, "second");
    const done = [pacer.paced(first.run), pacer.paced(second.run)];
    await settle();
    await first.finishAfter(100);
    expect(started).toEqual(["first"]);
    expect(timer.sleeping()).toEqual([300]);
    pacer.stop();
    await settle();
    expect(started).toEqual(["first", "second"]);
    await second.finishAfter(100);
    await Promise.all(done);
    expect(timer.sleeping()).toEqual([]);
  });
});
