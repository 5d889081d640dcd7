import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  decodeInstantCursor,
  Disclose,
  forbidden,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requirePerson,
  toPage,
} from "@rhizome/kit";
import { configureDefense } from "../actions/configure-defense.js";
import { setDefenseWebhook } from "../actions/set-defense-webhook.js";
import type { DefenseContext } from "../context.js";
import { responderOfMember } from "../store/responders.js";
import { notificationsOfMembers } from "../store/notifications.js";
import { settingsOf } from "../store/settings.js";
import { webhookOfCircle } from "../store/webhooks.js";
import { ConfigureDefenseInput, SetDefenseWebhookInput } from "./inputs.js";
import { circleRef } from "./mappers.js";
import {
  DefenseNotification,
  DefenseNotificationPage,
  DefenseSettingsType,
  DefenseWebhook,
  DefenseWebhookWithSecret,
} from "./types.js";

const MESSAGES: Record<string, string> = {
  CALL: "You are called",
  VERIFY: "You are asked to verify an alert",
  BROADCAST: "Verified alert for the whole circle",
  HEARING_REMINDER: "Reminder: you accompany someone to a hearing soon",
  HEARING_SHORT: "A hearing lacks companions",
  HOUSING_MATCH: "A housing match needs your answer",
};

const NO_ALERT = {
  alertId: null,
  alertKind: null,
  alertUrgency: null,
  alertPlace: null,
  alertText: null,
  alertRaisedAt: null,
};

@Resolver()
export class InboxResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("self")
  @Query(() => DefenseNotificationPage, {
    description: "Your defense inbox (calls, broadcasts, reminders), newest first. Only your own.",
  })
  async myDefenseNotifications(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: DefenseContext,
  ): Promise<DefenseNotificationPage> {
    const person = requirePerson(context.caller);
    const limit = pageSize(page.first);
    const memberIds = person.memberships.map((m) => m.memberId);
    const rows = await notificationsOfMembers(context.db, memberIds, decodeInstantCursor(page.after), limit + 1);
    const alerts = await Promise.all(
      rows.map((row) =>
        row.kind === "CALL" || row.kind === "VERIFY" || row.kind === "BROADCAST"
          ? context.alerts.load(row.caseId)
          : undefined,
      ),
    );
    const details = await Promise.all(
      rows.map(async (row, index) => {
        const alert = alerts[index];
        if (!alert) return { message: MESSAGES[row.kind] ?? row.kind, alert: NO_ALERT };
        const text = await context.vault.open(context.db, alert.circleId, "alert-text", alert.id, alert.textSealed);
        return {
          message: `${MESSAGES[row.kind]}: ${alert.kind} (${alert.urgency}) at ${alert.geohash}: ${text}`,
          // Only what the English sentence already said, as fields: never who raised it or who else was called.
          alert: {
            alertId: alert.id,
            alertKind: alert.kind,
            alertUrgency: alert.urgency,
            alertPlace: alert.geohash,
            alertText: text,
            alertRaisedAt: alert.raisedAt,
          },
        };
      }),
    );
    const byId = new Map(rows.map((row, index) => [row.id, details[index]]));
    return Object.assign(
      new DefenseNotificationPage(),
      toPage(
        rows,
        limit,
        (row) => instantSortKey(row.createdAt, row.id),
        (row) =>
          Object.assign(new DefenseNotification(), {
            id: row.id,
            kind: row.kind,
            circle: circleRef(row.circleId),
            caseId: row.caseId,
            ...byId.get(row.id)!.alert,
            message: byId.get(row.id)!.message,
            createdAt: row.createdAt,
            isRead: row.createdAt.getTime() <= (row.readUpTo?.getTime() ?? -Infinity),
          }),
      ),
    );
  }

  @Disclose("stewards")
  @Mutation(() => DefenseWebhookWithSecret, {
    description:
      "Sets where the circle's calls and broadcasts are POSTed (an SMS or messaging gateway); public addresses only; returns the signing secret once. A responder's contact goes there only once they agree to this URL (shareContactWithWebhook). Organizers only.",
  })
  async setDefenseWebhook(
    @Arg("input", () => SetDefenseWebhookInput) input: SetDefenseWebhookInput,
    @Ctx() context: DefenseContext,
  ): Promise<DefenseWebhookWithSecret> {
    const saved = await setDefenseWebhook(context, { ...input });
    return Object.assign(new DefenseWebhookWithSecret(), {
      webhook: Object.assign(new DefenseWebhook(), saved),
      secret: saved.secret,
    });
  }

  @Disclose("members")
  @Query(() => DefenseWebhook, {
    nullable: true,
    description:
      "The circle's webhook, without its secret: organizers, and responders deciding whether to share their contact with it.",
  })
  async defenseWebhook(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<DefenseWebhook | null> {
    const membership = requireMembership(context.caller, circleId);
    if (
      !membership.roles.includes("organizer") &&
      !(await responderOfMember(context.db, circleId, membership.memberId))
    ) {
      throw forbidden("Only the circle's organizers and responders see its webhook.");
    }
    const webhook = await webhookOfCircle(context.db, circleId);
    return webhook ? Object.assign(new DefenseWebhook(), webhook) : null;
  }

  @Disclose("members")
  @Query(() => DefenseSettingsType, { description: "The circle's defense settings. Members only." })
  async defenseSettings(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: DefenseContext,
  ): Promise<DefenseSettingsType> {
    requireMembership(context.caller, circleId);
    return Object.assign(new DefenseSettingsType(), await settingsOf(context.db, circleId));
  }

  @Disclose("stewards")
  @Mutation(() => DefenseSettingsType, { description: "Changes the circle's defense settings. Organizers only." })
  async configureDefense(
    @Arg("input", () => ConfigureDefenseInput) input: ConfigureDefenseInput,
    @Ctx() context: DefenseContext,
  ): Promise<DefenseSettingsType> {
    return Object.assign(new DefenseSettingsType(), await configureDefense(context, { ...input }));
  }
}
