/** The governance screens beyond proposals, loaded together the first time one is opened (see governance-lazy.tsx). */
export { Assemblies } from "./assemblies.js";
export { Bloc } from "./bloc.js";
export { Constitution } from "./constitution.js";
export { DecisionLog } from "./decision-log.js";
export { DrawCheck } from "./draw-check.js";
export { Draws } from "./draws.js";
export { Pacts } from "./pacts.js";
