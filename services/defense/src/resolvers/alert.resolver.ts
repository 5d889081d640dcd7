import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { badInput, decodeInstantCursor, instantSortKey, PAGE_LIST_SIZE, PageArgs, pageSize, requireMembership, toPage, Disclose } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { MAX_ALERT_TEXT_LENGTH, type AlertKind, type Urgency } from "../domain/alerts.js";
import { blockLevelPlace, boundedText } from "../domain/places.js";
import { acknowledgeAlert, alertsOfCircle, broadcastRecipients, verificationCount, callsOfAlert, logOfAlert, markFalseAlarm, raiseAlert, verifyAlert } from "../store/alerts.js";
import { enqueueWork } from "../jobs/triggers.js";
import { requireAlert, requireResponder } from "./access.js";
import { RaiseAlertInput } from "./inputs.js";
import { toAlert } from "./mappers.js";
import { Alert, AlertCall, AlertLogEntry, AlertPage } from "./types.js";

@Resolver(() => Alert)
export class AlertResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => AlertPage, { description: "A circle's alerts, newest first. Responders only." })
  async defenseAlerts(@Arg("circleId", () => ID) circleId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() context: DefenseContext): Promise<AlertPage> {
    const { membership } = await requireResponder(context, circleId);
    const limit = pageSize(page.first);
    const rows = await alertsOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(new AlertPage(), toPage(rows, limit, (row) => instantSortKey(row.raisedAt, row.id), (row) => toAlert(row, membership.memberId)));
  }

  @Disclose("members")
  @Query(() => Alert, { description: "One alert. The circle's responders and whoever raised it." })
  async defenseAlert(@Arg("id", () => ID) id: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { row, membership } = await requireAlert(context, id);
    return toAlert(row, membership.memberId);
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "Raises an alert: the head of every branch is called at once, and unanswered calls escalate. Members only." })
  async raiseAlert(@Arg("input", () => RaiseAlertInput) input: RaiseAlertInput, @Ctx() context: DefenseContext): Promise<Alert> {
    const membership = requireMembership(context.caller, input.circleId);
    const place = blockLevelPlace(input.place);
    if ("problem" in place) throw badInput(place.problem);
    const text = boundedText(input.text, "An alert's text", MAX_ALERT_TEXT_LENGTH);
    if ("problem" in text) throw badInput(text.problem);
    const now = context.clock();
    const { alert, work } = await context.db.transaction((manager) =>
      raiseAlert(manager, context.vault, { circleId: input.circleId, raisedByMemberId: membership.memberId, kind: input.kind as AlertKind, urgency: input.urgency as Urgency, geohash: place.geohash, text: text.text }, now),
    );
    await enqueueWork(context.runtime, work);
    return toAlert(alert, membership.memberId);
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "A called responder answers: their call stops escalating." })
  async acknowledgeAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership } = await requireAlert(context, alertId);
    const row = await context.db.transaction((manager) => acknowledgeAlert(manager, alertId, membership.memberId, context.clock()));
    return toAlert(row, membership.memberId);
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "A trusted responder confirms the alert; enough confirmations broadcast it to the whole circle, once." })
  async verifyAlert(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership } = await requireAlert(context, alertId);
    const { alert, work } = await context.db.transaction((manager) => verifyAlert(manager, alertId, membership.memberId, context.clock()));
    await enqueueWork(context.runtime, work);
    return toAlert(alert, membership.memberId);
  }

  @Disclose("members")
  @Mutation(() => Alert, { description: "Closes an alert that was not real: whoever raised it, or a trusted responder." })
  async markFalseAlarm(@Arg("alertId", () => ID) alertId: string, @Ctx() context: DefenseContext): Promise<Alert> {
    const { membership } = await requireAlert(context, alertId);
    const row = await context.db.transaction((manager) => markFalseAlarm(manager, alertId, membership.memberId, context.clock()));
    return toAlert(row, membership.memberId);
  }

  @Disclose("members")
  @FieldResolver(() => String, { description: "What the raiser wrote (stored encrypted)." })
  async text(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<string> {
    return context.vault.open(context.db, alert.circleId, "alert-text", alert.textSealed);
  }

  @Disclose("members")
  @FieldResolver(() => [AlertCall], { description: "Every call placed, in order: who, when, when due, answered or escalated." })
  async calls(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<AlertCall[]> {
    const rows = await callsOfAlert(context.db, alert.id);
    return rows.map((r) => Object.assign(new AlertCall(), { ...r, branchId: r.chainBranchId }));
  }

  @Disclose("members")
  @FieldResolver(() => [AlertLogEntry], { description: "Every step of the alert, with its time." })
  async log(@Root() alert: Alert, @Ctx() context: DefenseContext): Promise<AlertLogEntry[]> {
    return (await logOfAlert(context.db, alert.id)).map((r) => Object.assign(new AlertLogEntry(), r));
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
