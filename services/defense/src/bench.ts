/**
 * The one entry benchmarks may use beside the API (`@rhizome/defense/bench`): the alert tree's
 * writes without the GraphQL layer, so a benchmark can seed a circle and raise alerts in bulk.
 */
export { enqueueWork } from "./jobs/triggers.js";
export { raiseAlert } from "./store/alerts.js";
export { DEFAULT_SETTINGS, saveSettings } from "./store/settings.js";
export { setWebhook } from "./store/webhooks.js";
export { vaultOf } from "./store/vault.js";
