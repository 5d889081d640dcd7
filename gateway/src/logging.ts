import type { GatewayConfig } from "./config.js";

/**
 * How much the Hive runtime itself may log. At debug it writes whole requests (query, variables,
 * headers: passphrases and tokens included) and the requests it sends to subgraphs, so it never
 * logs below info, whatever LOG_LEVEL says; the gateway's own log lines follow LOG_LEVEL.
 */
export function runtimeLogLevel(level: GatewayConfig["LOG_LEVEL"]): false | "info" | "warn" | "error" {
  switch (level) {
    case "silent":
      return false;
    case "fatal":
    case "error":
      return "error";
    case "warn":
      return "warn";
    default:
      return "info";
  }
}
