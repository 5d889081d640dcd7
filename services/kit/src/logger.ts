import { pino, type Logger } from "pino";

export type { Logger };

export const REQUEST_ID_HEADER = "x-request-id";

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
