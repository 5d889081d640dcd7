import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeInstantCursor,
  Disclose,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  rateLimited,
  requireMembership,
  toPage,
} from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import {
  ALERT_RATE_WINDOW_MINUTES,
  alertRateProblem,
  alertRateWindow,
  isLogStepShown,
  MAX_ALERT_TEXT_LENGTH,
  type AlertKind,
  type Urgency,
} from "../domain/alerts.js";
import { blockLevelPlace, boundedText } from "../domain/places.js";
import {
  acknowledgeAlert,
  alertsOfResponder,
  broadcastRecipients,
  verificationCount,
  callsOfAlertTo,
  logOfAlert,
  markFalseAlarm,
  raiseAlert,
  verifyAlert,
} from "../store/alerts.js";
import { enqueueWork } from "../jobs/triggers.js";
import { isRaiserOf, requireAlert, requireResponder } from "./access.js";
import { RaiseAlertInput } from "./inputs.js";
import { toAlert } from "./mappers.js";
import { Alert, AlertCall, AlertLogEntry, AlertPage } from "./types.js";

/**
 * Counts an alert a member raises in the current window of the hub's clock, in Redis (expiring
 * with the window, so no lasting record links a member to the times they raised alerts), and
 * refuses it past MAX_ALERTS_PER_MEMBER_PER_WINDOW. When Redis cannot count, the alert is raised:
 * an alert is never lost to a limit.
 */
async function countRaise(context: DefenseContext, circleId: string, memberId: string, now: Date): Promise<void> {
  const window = alertRateWindow(now);
  let raised: number;
  try {
    const key = `defense:alert-raises:${circleId}:${memberId}:${window.index}`;
    raised = await context.redis.incr(key);
    if (raised === 1) await context.redis.pexpire(key, 2 * ALERT_RATE_WINDOW_MINUTES * 60_000);
  } catch (error) {
    context.runtime.logger.warn({ err: error }, "could not count an alert against the raise limit; raising it anyway");
    return;
  }
  const problem = alertRateProblem(raised, window.endsAt);
  if (problem) throw rateLimited(problem, Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000)));
}

@Resolver(() => Alert)
export class AlertResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => AlertPage, {
    description:
      "The circle's alerts you may read, newest first: those you were called for or asked to verify, and broadcast ones. Responders only.",
  })
  async defenseAlerts(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<AlertPage> {
    const { membership, responder } = await requireResponder(context, circleId);
    const limit = pageSize(page.first);
    const rows = await alertsOfResponder(context.db, responder, decodeInstantCursor(page.after), limit + 1);
    const raised = new Set(
      (
        await Promise.all(
          rows.map(async (row) => ((await isRaiserOf(context, row, membership.memberId)) ? row.id : undefined)),
        )
      ).filter((id) => id !== undefined),
    );
    return Object.assign(
      new AlertPage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.raisedAt, row.id),
        (row) =>
          toAlert(row, { isRaiser: raised.has(row.id), memberId: membership.memberId, responderId: responder.id }),
      ),
    );
  }

  @Disclose("members")
  @Query(() => Alert, {
    description:
      "One alert: whoever raised it, the responders called for it or asked to verify it, and every member once broadcast.",
  })
  async defenseAlert(@Arg("id", () => ID) id: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { row, membership, access } = await requireAlert(context, id);
    return toAlert(row, {
      isRaiser: access.isRaiser,
      memberId: membership.memberId,
      responderId: access.responder?.id,
    });
  }

  @Disclose("members")
  @Mutation(() => Alert, {
    description:
      "Raises an alert: the head of every branch is called at once, and unanswered calls escalate. Members only, at most 5 an hour each.",
  })
  async raiseAlert(
    @Arg("input", () => RaiseAlertInput) input: RaiseAlertInput,
    @Ctx() context: DefenseContext,
  ): Promise<Alert> {
    const membership = requireMembership(context.caller, input.circleId);
    const place = blockLevelPlace(input.place);
    if ("problem" in place) throw badInput(place.problem);
    const text = boundedText(input.text, "An alert's text", MAX_ALERT_TEXT_LENGTH);
    if ("problem" in text) throw badInput(text.problem);
    const now = context.clock();
    await countRaise(context, input.circleId, membership.memberId, now);
    const { alert, work } = await context.db.transaction((manager) =>
      raiseAlert(
        manager,
        context.vault,
        {
          circleId: input.circleId,
          raisedByMemberId: membership.memberId,
          kind: input.kind as AlertKind,
          urgency: input.urgency as Urgency,
          geohash: place.geohash,
          text: text.text,
        },
        now,
      ),
    );
    await enqueueWork(context.runtime, work);
    return toAlert(alert, { isRaiser: true, memberId: membership.memberId, responderId: undefined });
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "A called responder answers: their call stops escalating." })
  async acknowledgeAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership, access } = await requireAlert(context, alertId);
    const row = await context.db.transaction((manager) =>
      acknowledgeAlert(manager, alertId, membership.memberId, context.clock()),
    );
    return toAlert(row, {
      isRaiser: access.isRaiser,
      memberId: membership.memberId,
      responderId: access.responder?.id,
    });
  }

  @Disclose("members")
  @Mutation(() => Alert, {
    description:
      "A trusted responder called or asked to verify the alert confirms it; enough confirmations broadcast it to the whole circle, once.",
  })
  async verifyAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership, access } = await requireAlert(context, alertId);
    const { alert, work } = await context.db.transaction((manager) =>
      verifyAlert(manager, alertId, membership.memberId, context.clock()),
    );
    await enqueueWork(context.runtime, work);
    return toAlert(alert, {
      isRaiser: access.isRaiser,
      memberId: membership.memberId,
      responderId: access.responder?.id,
    });
  }

  @Disclose("members")
  @Mutation(() => Alert, {
    description:
      "Closes an alert that was not real: whoever raised it, or a trusted responder called or asked to verify it.",
  })
  async markFalseAlarm(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership, access } = await requireAlert(context, alertId);
    const row = await context.db.transaction((manager) =>
      markFalseAlarm(manager, alertId, membership.memberId, access.isRaiser, context.clock()),
    );
    return toAlert(row, {
      isRaiser: access.isRaiser,
      memberId: membership.memberId,
      responderId: access.responder?.id,
    });
  }

  @Disclose("members")
  @FieldResolver(() => String, { description: "What the raiser wrote (stored encrypted)." })
  async text(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<string> {
    return context.vault.open(context.db, alert.circleId, "alert-text", alert.id, alert.textSealed);
  }

  @Disclose("members")
  @FieldResolver(() => [AlertCall], {
    description:
      "The calls placed to you for this alert, in order: when, when due, answered or escalated. Nobody sees another responder's calls.",
  })
  async calls(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<AlertCall[]> {
    if (!alert.viewerMemberId) return [];
    const rows = await callsOfAlertTo(context.db, alert.id, alert.viewerMemberId);
    return rows.map((r) => Object.assign(new AlertCall(), { ...r, branchId: r.chainBranchId }));
  }

  @Disclose("members")
  @FieldResolver(() => [AlertLogEntry], {
    description:
      "The alert's steps with their time: its own (raised, verified, broadcast, closed) and your own calls; whoever raised it sees every call's step too. A step names a responder only when it is you.",
  })
  async log(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<AlertLogEntry[]> {
    const reader = { isRaiser: alert.raisedByMe, responderId: alert.viewerResponderId };
    return (await logOfAlert(context.db, alert.id))
      .filter((r) => isLogStepShown(r, reader))
      .map((r) =>
        Object.assign(new AlertLogEntry(), {
          ...r,
          responderId: r.responderId !== null && r.responderId === alert.viewerResponderId ? r.responderId : null,
        }),
      );
  }

  @Disclose("members")
  @FieldResolver(() => Int, { description: "Trusted responders who verified it." })
  async verifications(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<number> {
    return verificationCount(context.db, alert.id);
  }

  @Disclose("members")
  @FieldResolver(() => Int, { nullable: true, description: "Members the broadcast reached; null before a broadcast." })
  async broadcastRecipients(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<number | null> {
    return broadcastRecipients(context.db, alert.id);
  }
}
