/** The current instant. Every service gets one in its runtime and request context; tests pass a fixed or stepping one. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock a test moves by hand. */
export function manualClock(start: Date): Clock & { set(instant: Date): void; advance(ms: number): void } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set(instant: Date): void; advance(ms: number): void };
  clock.set = (instant) => {
    now = new Date(instant);
  };
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}
