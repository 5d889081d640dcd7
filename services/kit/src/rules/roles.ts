/** The roles a member holds in a circle: every member is a "member"; stewards and organizers are chosen. */
export const circleRoles = ["member", "steward", "organizer"] as const;
export type CircleRole = (typeof circleRoles)[number];
