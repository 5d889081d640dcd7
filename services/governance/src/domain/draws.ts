/** What a role's draw records with its frozen pool. */
export interface DrawRules {
  roleId: string;
  role: string;
  /** How many holders the role has. */
  holders: number;
  /** Holders of the role's previous draw, left out of the pool because others are eligible. */
  excludedAsPreviousHolders: string[];
}

/** The witnessed draw a role's rotation uses: one per role and cycle, frozen at the cycle's end. */
export function roleDrawPurpose(roleId: string): string {
  return `role:${roleId}`;
}

/**
 * The pool of a draw: the eligible members (sorted), without last cycle's holders as long as enough
 * others are eligible to fill the role ("nobody twice in a row while others are eligible").
 */
export function drawPool(
  eligible: readonly string[],
  previousHolders: readonly string[],
  holders: number,
): { pool: string[]; excluded: string[] } {
  const sorted = [...new Set(eligible)].sort();
  const previous = new Set(previousHolders);
  const others = sorted.filter((id) => !previous.has(id));
  if (others.length >= holders) return { pool: others, excluded: sorted.filter((id) => previous.has(id)) };
  return { pool: sorted, excluded: [] };
}

/**
 * Who holds the role after a new moon's draw: the first `holders` of the draw order, passing over
 * nobody, so the public order and the holders say nothing about anyone's seat kind. When the draw
 * was carried over (too few witnesses), the holders still seated in the body keep the role.
 */
export function holdersAfterDraw(
  order: readonly string[],
  status: "DRAWN" | "CARRIED_OVER",
  holders: number,
  currentHolders: readonly string[],
  seated: readonly string[],
): string[] {
  if (status === "DRAWN") return order.slice(0, holders);
  const stillSeated = new Set(seated);
  return [...currentHolders].filter((id) => stillSeated.has(id)).sort();
}
