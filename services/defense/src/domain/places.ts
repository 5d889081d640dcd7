import type { Verdict } from "@rhizome/kit/rules";

/** The finest place defense stores: a 6-character geohash is a block (about 1.2 km by 0.6 km), never a door. */
export const MAX_GEOHASH_LENGTH = 6;
const GEOHASH_PATTERN = /^[0-9b-hjkmnp-z]+$/;

/** A block-level place as stored (lower case), or what is wrong with it. */
export function blockLevelPlace(raw: string): Verdict<{ geohash: string }> {
  const geohash = raw.trim().toLowerCase();
  if (!GEOHASH_PATTERN.test(geohash))
    return { problem: "A place is a geohash (digits and letters except a, i, l, o), e.g. u4pruy." };
  if (geohash.length > MAX_GEOHASH_LENGTH) {
    return {
      problem: `A place is stored at block level at most: a geohash of up to ${MAX_GEOHASH_LENGTH} characters, not ${geohash.length}. Cut it to ${geohash.slice(0, MAX_GEOHASH_LENGTH)}.`,
    };
  }
  return { geohash };
}
