import { commitmentOf, drawInOrder, drawSeed } from "@rhizome/kit";

export const CARETAKERS_PER_CYCLE = 2;

export interface CaretakerDrawInput {
  circleId: string;
  /** The cycle the duo serves. */
  cycle: string;
  /** Members volunteering when the cycle begins. */
  volunteers: readonly string[];
  /** The duo of the cycle before, who sit out while enough others are willing. */
  previousDuo: readonly string[];
}

export interface CaretakerDraw {
  commitment: string;
  seed: string;
  /** Volunteers, sorted: what anyone needs, with the seed, to recompute the draw. */
  volunteers: string[];
  previousDuo: string[];
  duo: string[];
}

/**
 * The caretaker duo of a cycle, recomputable by anyone: the commitment is SHA-256 of the canonical
 * JSON { circleId, cycle, volunteers (sorted), previousDuo (sorted), seats }, the seed is
 * drawSeed(commitment, [cycle]), and the duo is drawInOrder(volunteers who did not serve last cycle,
 * seed, 2). Only when fewer than two others are willing are last cycle's caretakers drawn again, from
 * drawInOrder(those repeaters, drawSeed(seed, ["repeat"]), seats left).
 */
export function drawCaretakerDuo(input: CaretakerDrawInput): CaretakerDraw {
  const volunteers = [...new Set(input.volunteers)].sort();
  const previousDuo = [...new Set(input.previousDuo)].sort();
  const commitment = commitmentOf({ circleId: input.circleId, cycle: input.cycle, volunteers, previousDuo, seats: CARETAKERS_PER_CYCLE });
  const seed = drawSeed(commitment, [input.cycle]);
  const fresh = volunteers.filter((id) => !previousDuo.includes(id));
  const duo = drawInOrder(fresh, seed, CARETAKERS_PER_CYCLE);
  if (duo.length < CARETAKERS_PER_CYCLE) {
    const repeaters = volunteers.filter((id) => previousDuo.includes(id));
    duo.push(...drawInOrder(repeaters, drawSeed(seed, ["repeat"]), CARETAKERS_PER_CYCLE - duo.length));
  }
  return { commitment, seed, volunteers, previousDuo, duo };
}
