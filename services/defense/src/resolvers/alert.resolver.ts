import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  decodeInstantCursor,
  Disclose,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  toPage,
  type Membership,
} from "@rhizome/kit";
import { acknowledgeAlert } from "../actions/acknowledge-alert.js";
import { isRaiserOf, requireAlert, requireResponder, type AlertAccess } from "../actions/access.js";
import { markFalseAlarm } from "../actions/mark-false-alarm.js";
import { raiseAlert } from "../actions/raise-alert.js";
import { verifyAlert } from "../actions/verify-alert.js";
import type { DefenseContext } from "../context.js";
import { isLogStepShown, type AlertKind, type Urgency } from "../domain/alerts.js";
import {
  alertsOfResponder,
  broadcastRecipients,
  verificationCount,
  callsOfAlertTo,
  logOfAlert,
  type AlertRow,
} from "../store/alerts.js";
import { RaiseAlertInput } from "./inputs.js";
import { toAlert } from "./mappers.js";
import { Alert, AlertCall, AlertLogEntry, AlertPage } from "./types.js";

/** An alert as the member who acted on it sees it. */
const toAlertOf = ({ alert, membership, access }: { alert: AlertRow; membership: Membership; access: AlertAccess }) =>
  toAlert(alert, { isRaiser: access.isRaiser, memberId: membership.memberId, responderId: access.responder?.id });

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
    return toAlertOf({ alert: row, membership, access });
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
    const { alert, memberId } = await raiseAlert(context, {
      ...input,
      kind: input.kind as AlertKind,
      urgency: input.urgency as Urgency,
    });
    return toAlert(alert, { isRaiser: true, memberId, responderId: undefined });
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "A called responder answers: their call stops escalating." })
  async acknowledgeAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    return toAlertOf(await acknowledgeAlert(context, alertId));
  }

  @Disclose("members")
  @Mutation(() => Alert, {
    description:
      "A trusted responder called or asked to verify the alert confirms it; enough confirmations broadcast it to the whole circle, once.",
  })
  async verifyAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    return toAlertOf(await verifyAlert(context, alertId));
  }

  @Disclose("members")
  @Mutation(() => Alert, {
    description:
      "Closes an alert that was not real: whoever raised it, or a trusted responder called or asked to verify it.",
  })
  async markFalseAlarm(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    return toAlertOf(await markFalseAlarm(context, alertId));
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
