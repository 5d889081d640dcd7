import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "./clock.js";
import { ConfigError } from "./config.js";

/**
 * A clock that tests move for whole processes: the file holds one instant (ISO 8601) and every read
 * of the clock returns it. To move every process at once, write the new instant to another file and
 * rename it over this one, so no process reads a half-written file.
 */
export function fileClock(path: string): Clock {
  return () => {
    const text = readFileSync(path, "utf8").trim();
    const instant = new Date(text);
    if (text === "" || Number.isNaN(instant.getTime()))
      throw new Error(`The clock file ${path} holds ${JSON.stringify(text)}, not an instant.`);
    return instant;
  };
}

/** The process's clock: the system's, or CLOCK_FILE's instant in a test (refused in production). */
export function clockOfSettings(settings: { NODE_ENV: string; CLOCK_FILE?: string }): Clock {
  if (!settings.CLOCK_FILE) return systemClock;
  if (settings.NODE_ENV === "production")
    throw new ConfigError(
      "Configuration is invalid:\n  CLOCK_FILE is for tests: a production process runs on the system clock. Unset it.",
    );
  return fileClock(settings.CLOCK_FILE);
}
