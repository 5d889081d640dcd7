import { emitEvent } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import type { CircleRow } from "../entities/circle.js";
import type { MemberRow } from "../entities/member.js";
import type { Bloc } from "../domain/bloc.js";
import { insertCircle } from "./circles.js";
import { insertMember, insertPerson } from "./members.js";

export interface Founding {
  slug: string;
  name: string;
  founder: { personId: string | undefined; handle: string; passphraseHash: string; bloc: Bloc };
}

/**
 * A circle and its founder, its first organizer (a new person unless one is given), with
 * `circle.founded` and `member.joined` recorded in the same transaction. Undefined when the slug is taken.
 */
export async function foundCircle(
  db: DataSource,
  founding: Founding,
  now: Date,
): Promise<{ circle: CircleRow; member: MemberRow } | undefined> {
  return db.transaction(async (manager) => {
    const circle = await insertCircle(manager, { slug: founding.slug, name: founding.name }, now);
    if (!circle) return undefined;
    const personId = founding.founder.personId ?? (await insertPerson(manager, now));
    const { handle, passphraseHash, bloc } = founding.founder;
    const member = await insertMember(
      manager,
      { circleId: circle.id, personId, handle, passphraseHash, bloc, roles: ["member", "organizer"] },
      now,
    );
    if (!member) throw new Error("a new circle already had a member");
    await emitEvent(manager, "circle.founded", { circleId: circle.id }, now);
    await emitEvent(manager, "member.joined", { circleId: circle.id, memberId: member.id }, now);
    return { circle, member };
  });
}
