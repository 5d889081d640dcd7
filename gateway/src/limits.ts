import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import type { GatewayConfig } from "./config.js";

/** Validation limits on every operation, each with an error that states the limit. */
export function operationLimitPlugins(config: GatewayConfig) {
  return [
    maxDepthPlugin({ n: config.MAX_DEPTH, exposeLimits: true, flattenFragments: true }),
    maxTokensPlugin({ n: config.MAX_TOKENS, exposeLimits: true }),
    maxAliasesPlugin({ n: config.MAX_ALIASES, exposeLimits: true }),
    ...(config.NODE_ENV === "production" ? [blockFieldSuggestionsPlugin()] : []),
  ];
}
