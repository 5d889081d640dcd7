export const CARETAKERS_PER_CYCLE = 2;

/** The witnessed draw of a circle's caretakers: one per cycle, gathering commitments during the cycle before the duo serves. */
export const CARETAKER_DRAW_PURPOSE = "caretakers";

/** What the caretaker draw records with its frozen pool (the volunteers). */
export interface CaretakerDrawRules {
  /** The cycle the duo serves. */
  serves: string;
  seats: number;
  /** Last cycle's duo, sorted: they sit out while two others are willing. */
  previousDuo: string[];
}

export function caretakerDrawRules(serves: string, previousDuo: readonly string[]): CaretakerDrawRules {
  return { serves, seats: CARETAKERS_PER_CYCLE, previousDuo: [...new Set(previousDuo)].sort() };
}

/**
 * The duo from a drawn order of the volunteers: the first two who did not serve last cycle; only
 * when fewer than two others are willing, last cycle's caretakers fill the seats, in draw order.
 */
export function duoFromOrder(order: readonly string[], previousDuo: readonly string[]): string[] {
  const previous = new Set(previousDuo);
  const fresh = order.filter((id) => !previous.has(id));
  const repeaters = order.filter((id) => previous.has(id));
  return [...fresh, ...repeaters].slice(0, CARETAKERS_PER_CYCLE);
}

/** With too few witnesses nobody is drawn: last cycle's caretakers who still volunteer serve again. */
export function carriedOverDuo(previousDuo: readonly string[], volunteers: readonly string[]): string[] {
  const willing = new Set(volunteers);
  return [...new Set(previousDuo)].filter((id) => willing.has(id)).sort();
}
