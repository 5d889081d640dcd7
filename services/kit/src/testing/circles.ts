import { randomBytes } from "node:crypto";
import { dataOrThrow, gql } from "../runtime/graphql-client.js";

const SLUG_SUFFIX_BYTES = 4;

/** A slug no other test uses, e.g. uniqueSlug("riverside") -> "riverside-3f9a1c2e". */
export function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomBytes(SLUG_SUFFIX_BYTES).toString("hex")}`;
}

export const PASSPHRASE = "a long enough passphrase";

export interface Session {
  token: string;
  memberId: string;
  personId?: string;
  handle: string;
}

export interface TestCircle {
  id: string;
  slug: string;
  organizer: Session;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Founds a circle with a fresh slug through the gateway; the founder is its organizer. */
export async function foundCircle(
  gatewayUrl: string,
  prefix = "circle",
  founderHandle = "founder",
): Promise<TestCircle> {
  const slug = uniqueSlug(prefix);
  const data = dataOrThrow(
    await gql(
      gatewayUrl,
      `mutation Found($input: CreateCircleInput!) { createCircle(input: $input) { circle { id slug } member { id handle } token } }`,
      { input: { name: `Circle ${slug}`, slug, founderHandle, passphrase: PASSPHRASE } },
    ),
    "createCircle",
  );
  const founded = data.createCircle;
  return {
    id: founded.circle.id,
    slug,
    organizer: { token: founded.token, memberId: founded.member.id, handle: founderHandle },
  };
}

export async function createInvitation(
  gatewayUrl: string,
  circle: TestCircle,
  maxUses = 50,
  expiresInHours = 24,
): Promise<string> {
  const data = dataOrThrow(
    await gql(
      gatewayUrl,
      `mutation Invite($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`,
      { input: { circleId: circle.id, maxUses, expiresInHours } },
      bearer(circle.organizer.token),
    ),
    "createInvitation",
  );
  return data.createInvitation.code;
}

export async function joinCircle(
  gatewayUrl: string,
  code: string,
  handle: string,
  bloc: "EDGE" | "ADVANTAGED" = "EDGE",
  headers: Record<string, string> = {},
): Promise<Session> {
  const data = dataOrThrow(
    await gql(
      gatewayUrl,
      `mutation Join($input: JoinCircleInput!) { joinCircle(input: $input) { token member { id handle } } }`,
      { input: { code, handle, passphrase: PASSPHRASE, bloc } },
      headers,
    ),
    `joinCircle as ${handle}`,
  );
  return { token: data.joinCircle.token, memberId: data.joinCircle.member.id, handle };
}

/** A circle with its organizer and `handles.length` more members. */
export async function circleWithMembers(gatewayUrl: string, handles: string[], prefix = "circle") {
  const circle = await foundCircle(gatewayUrl, prefix);
  const code = await createInvitation(gatewayUrl, circle, handles.length + 1);
  const members: Record<string, Session> = {};
  for (const handle of handles) members[handle] = await joinCircle(gatewayUrl, code, handle);
  return { circle, members };
}
