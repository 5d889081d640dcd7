/**
 * The circle rules: what a circle's domain code may use from the kit. Pure (no database, queue,
 * HTTP or GraphQL library comes with it): lunar cycles, the privacy rule for published figures,
 * draws anyone can recompute, circle roles, and a rule's refusal as plain data.
 */
export * from "./lunar.js";
export * from "./privacy.js";
export * from "./sortition.js";
export * from "./roles.js";
export * from "./verdict.js";
