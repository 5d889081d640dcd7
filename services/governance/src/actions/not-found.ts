/** What a wrong id, or an id of another circle, answers: the same NOT_FOUND message either way. */
export const NO_BODY = "No body with that id in your circles.";
export const NO_PROPOSAL = "No proposal with that id in your circles.";
export const NO_ROLE = "No role with that id in your circles.";
export const NO_PACT = "No pact with that id in your circles.";
export const NO_ARTICLE = "No article with that id in your circles.";
export const NO_ASSEMBLY = "No assembly with that id in your circles.";
export const NO_POWER_NODE = "No power node with that id in your circles.";
export const NO_EXPERIMENT = "No experiment with that id in your circles.";
export const NO_PLAYBOOK = "No playbook with that id.";
