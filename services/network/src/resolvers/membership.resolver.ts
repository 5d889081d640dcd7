import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  conflict,
  hashSecret,
  isMemberOf,
  notFound,
  postgresErrorCode,
  recordEvent,
  requirePerson,
  requireRole,
  unauthenticated,
  UNIQUE_VIOLATION,
} from "@rhizome/kit";
import { CircleRow } from "../entities/circle.js";
import { MemberRow } from "../entities/member.js";
import { PersonRow } from "../entities/person.js";
import { InvitationRow } from "../entities/invitation.js";
import { invitationProblem } from "../domain/invitations.js";
import { hashPassphrase, passphraseMatches, spendPassphraseCheckTime } from "../domain/passphrases.js";
import { FAILED_LOGIN_WINDOW_SECONDS, failedLoginKey, isLockedOut, lockoutMessage } from "../domain/login-attempts.js";
import type { NetworkContext } from "../context.js";
import { JoinCircleInput, LoginInput, RoleChangeInput } from "./inputs.js";
import { toCircle, toMember } from "./mappers.js";
import { issueToken } from "./sessions.js";
import { BlocEnum, Circle, Me, Member, Session } from "./types.js";
import type { Bloc } from "../domain/bloc.js";

const WRONG_LOGIN = "No member with that handle and passphrase in that circle.";

@Resolver(() => Member)
export class MembershipResolver {
  @Query(() => Me, { description: "The logged-in person and their memberships." })
  async me(@Ctx() context: NetworkContext): Promise<Me> {
    const person = requirePerson(context.caller);
    const rows = await context.db.getRepository(MemberRow).find({ where: { personId: person.personId }, order: { joinedAt: "ASC" } });
    return Object.assign(new Me(), { personId: person.personId, memberships: rows.map(toMember) });
  }

  @Mutation(() => Session, { description: "Logs in to one circle; the token covers every circle the person belongs to." })
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() context: NetworkContext): Promise<Session> {
    const attemptsKey = failedLoginKey(input.circleSlug, input.handle);
    if (isLockedOut(Number(await context.redis.get(attemptsKey)))) {
      throw unauthenticated(lockoutMessage(await context.redis.ttl(attemptsKey)));
    }
    const refuse = async () => {
      const failures = await context.redis.incr(attemptsKey);
      // The window starts at the first failure and is not extended by later ones.
      if (failures === 1) await context.redis.expire(attemptsKey, FAILED_LOGIN_WINDOW_SECONDS);
      context.logger.info({ failures }, "failed login");
      return unauthenticated(WRONG_LOGIN);
    };
    const member = await context.db
      .getRepository(MemberRow)
      .createQueryBuilder("m")
      .innerJoin(CircleRow, "c", "c.id = m.circle_id")
      .where("c.slug = :slug AND lower(m.handle) = lower(:handle)", { slug: input.circleSlug.toLowerCase(), handle: input.handle })
      .getOne();
    if (!member) {
      await spendPassphraseCheckTime(input.passphrase);
      throw await refuse();
    }
    if (!(await passphraseMatches(member.passphraseHash, input.passphrase))) throw await refuse();
    await context.redis.del(attemptsKey);
    const session = await issueToken(context, context.db.manager, member.personId);
    return Object.assign(new Session(), { ...session, member: toMember(member) });
  }

  @Mutation(() => Session, {
    description: "Joins a circle with an invitation code. Logged in, the new membership joins the same person; otherwise a new person is created.",
  })
  async joinCircle(@Arg("input", () => JoinCircleInput) input: JoinCircleInput, @Ctx() context: NetworkContext): Promise<Session> {
    const existingPersonId = context.caller.kind === "person" ? context.caller.personId : undefined;
    const passphraseHash = await hashPassphrase(input.passphrase);
    const joined = await context.db.transaction(async (manager) => {
      const invitation = await manager
        .getRepository(InvitationRow)
        .createQueryBuilder("i")
        .setLock("pessimistic_write")
        .where("i.code_hash = :hash", { hash: hashSecret(input.code.trim()) })
        .getOne();
      if (!invitation) throw notFound("No invitation has that code. Check it, or ask an organizer for a new one.");
      const problem = invitationProblem(invitation, new Date());
      if (problem) throw badInput(problem);
      if (existingPersonId) {
        const already = await manager.getRepository(MemberRow).findOneBy({ personId: existingPersonId, circleId: invitation.circleId });
        if (already) throw conflict("You are already a member of this circle.");
      }
      const personId = existingPersonId ?? (await manager.getRepository(PersonRow).save(manager.create(PersonRow, {}))).id;
      let member: MemberRow;
      try {
        member = await manager.getRepository(MemberRow).save(
          manager.create(MemberRow, { circleId: invitation.circleId, personId, handle: input.handle, passphraseHash, bloc: input.bloc, roles: ["member"] }),
        );
      } catch (error) {
        if (postgresErrorCode(error) === UNIQUE_VIOLATION) throw conflict(`The handle "${input.handle}" is taken in this circle; choose another.`);
        throw error;
      }
      await manager.getRepository(InvitationRow).increment({ id: invitation.id }, "uses", 1);
      await recordEvent(manager, "member.joined", invitation.circleId, { memberId: member.id, circleId: invitation.circleId });
      const session = await issueToken(context, manager, personId);
      return { member: await manager.getRepository(MemberRow).findOneByOrFail({ id: member.id }), session };
    });
    context.eventsRecorded();
    return Object.assign(new Session(), { ...joined.session, member: toMember(joined.member) });
  }

  @Mutation(() => Member, { description: "Gives a member the steward or organizer role. Organizers only. Takes effect at the member's next login." })
  async grantRole(@Arg("input", () => RoleChangeInput) input: RoleChangeInput, @Ctx() context: NetworkContext): Promise<Member> {
    return this.changeRole(input, context, (roles) => (roles.includes(input.role) ? roles : [...roles, input.role]));
  }

  @Mutation(() => Member, { description: "Takes the steward or organizer role from a member. Organizers only; a circle keeps at least one organizer." })
  async revokeRole(@Arg("input", () => RoleChangeInput) input: RoleChangeInput, @Ctx() context: NetworkContext): Promise<Member> {
    return this.changeRole(input, context, (roles) => roles.filter((role) => role !== input.role));
  }

  private async changeRole(input: RoleChangeInput, context: NetworkContext, change: (roles: MemberRow["roles"]) => MemberRow["roles"]): Promise<Member> {
    const updated = await context.db.transaction(async (manager) => {
      const member = await manager.getRepository(MemberRow).findOne({ where: { id: input.memberId }, lock: { mode: "pessimistic_write" } });
      if (!member || !isMemberOf(context.caller, member.circleId)) {
        throw notFound("No member with that id in your circles.");
      }
      requireRole(context.caller, member.circleId, "organizer");
      member.roles = change(member.roles);
      if (!member.roles.includes("organizer")) {
        const organizers: Array<{ count: string }> = await manager.query(
          `SELECT count(*) FROM members WHERE circle_id = $1 AND 'organizer' = ANY(roles) AND id <> $2`,
          [member.circleId, member.id],
        );
        if (Number(organizers[0].count) === 0) throw badInput("A circle needs at least one organizer; give the role to someone else first.");
      }
      return manager.getRepository(MemberRow).save(member);
    });
    return toMember(updated);
  }

  @FieldResolver(() => Circle)
  async circle(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Circle> {
    const row = await context.circles.load(member.circleId);
    if (!row) throw notFound("The member's circle is gone.");
    return toCircle(row);
  }

  @FieldResolver(() => BlocEnum, { nullable: true, description: "The member's self-declared bloc; null unless you are that member." })
  async bloc(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Bloc | null> {
    if (context.caller.kind !== "person" || context.caller.personId !== member.personId) return null;
    const row = await context.members.load(member.id);
    return row?.bloc ?? null;
  }
}
