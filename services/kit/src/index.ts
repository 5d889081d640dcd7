/**
 * The kit every service is built on, grouped by concern; each group is also its own entry
 * (`@rhizome/kit/rules`, `/runtime`, `/auth`, `/data`, `/jobs`, `/events`, `/api`, `/service`,
 * `/testing`). Domain code imports only `@rhizome/kit/rules`; the gateway only the light groups.
 */
export * from "./rules/index.js";
export * from "./runtime/index.js";
export * from "./auth/index.js";
export * from "./data/index.js";
export * from "./jobs/index.js";
export * from "./events/index.js";
export * from "./api/index.js";
export * from "./service/index.js";
