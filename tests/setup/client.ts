import { randomBytes } from "node:crypto";

export { gql, dataOrThrow, type GraphQLResponse, type GraphQLErrorBody } from "@rhizome/infra";

const SLUG_SUFFIX_BYTES = 4;

/** A slug no other test uses, e.g. uniqueSlug("riverside") -> "riverside-3f9a1c2e". */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(SLUG_SUFFIX_BYTES).toString("hex")}`;
}
