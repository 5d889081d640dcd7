/** Self-declared: EDGE for people facing the sharpest coercion, ADVANTAGED otherwise. Private to the member. */
export const blocs = ["EDGE", "ADVANTAGED"] as const;
export type Bloc = (typeof blocs)[number];
