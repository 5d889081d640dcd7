/**
 * A witnessed draw recomputed on the phone, step by step, exactly as the hub computes it (the kit's
 * witnessed-draws.ts and sortition.ts, and the governance README's check-draw.mjs): nothing here
 * trusts the hub's own verdict.
 */

/** SHA-256 hex of UTF-8 text; undefined where the page may not use Web Crypto (plain http on a network). */
export async function sha256Hex(text: string): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** 32 random hex digits (128 bits), the seed a witness commits to. */
export function newWitnessSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** What the hub publishes for a witness: SHA-256 hex of JSON.stringify([drawId, memberId, seed]). */
export const witnessCommitment = (drawId: string, memberId: string, seed: string) =>
  sha256Hex(JSON.stringify([drawId, memberId, seed]));

/** Canonical JSON: object keys sorted by code point, no spaces. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export interface PublishedDraw {
  id: string;
  cycle: string;
  pool?: string[] | null;
  rules?: string | null;
  witnesses: Array<{ memberId: string; commitment: string; seed?: string | null }>;
}

export interface Recomputed {
  seedsMatch: Map<string, boolean>;
  poolCommitment: string;
  drawSeed: string;
  order: string[];
}

/** Every step of a frozen draw, recomputed; undefined before the freeze or without Web Crypto. */
export async function recomputeDraw(draw: PublishedDraw, purpose: string): Promise<Recomputed | undefined> {
  if (!draw.pool || !draw.rules) return undefined;
  const seedsMatch = new Map<string, boolean>();
  for (const witness of draw.witnesses) {
    if (witness.seed == null) continue;
    const commitment = await witnessCommitment(draw.id, witness.memberId, witness.seed);
    if (commitment === undefined) return undefined;
    seedsMatch.set(witness.memberId, commitment === witness.commitment);
  }
  const poolCommitment = await sha256Hex(
    canonicalJson({ drawId: draw.id, purpose, cycle: draw.cycle, pool: draw.pool, rules: JSON.parse(draw.rules) }),
  );
  if (poolCommitment === undefined) return undefined;
  const seeds = draw.witnesses
    .filter((witness) => witness.seed != null)
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    .map((witness) => witness.seed!);
  const drawSeed = (await sha256Hex(JSON.stringify([poolCommitment, ...seeds])))!;
  return { seedsMatch, poolCommitment, drawSeed, order: await drawInOrder(draw.pool, drawSeed) };
}

const RANGE = BigInt(2) ** BigInt(256);

/** The whole pool in draw order: rejection sampling over SHA-256, so no index is favoured. */
async function drawInOrder(pool: readonly string[], seed: string): Promise<string[]> {
  const left = [...pool];
  const order: string[] = [];
  for (let step = 0; left.length > 0; step++) {
    const n = BigInt(left.length);
    const acceptBelow = (RANGE / n) * n;
    for (let attempt = 0; ; attempt++) {
      const r = BigInt(`0x${await sha256Hex(`${seed}:${step}:${attempt}`)}`);
      if (r < acceptBelow) {
        order.push(...left.splice(Number(r % n), 1));
        break;
      }
    }
  }
  return order;
}
