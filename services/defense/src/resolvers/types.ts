import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageOf, Disclose } from "@rhizome/kit";
import { alertKinds, alertStatuses, contactKinds, urgencies } from "../domain/alerts.js";

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const AlertKindEnum = enumOf(alertKinds);
export const AlertUrgencyEnum = enumOf(urgencies);
export const AlertStatusEnum = enumOf(alertStatuses);
export const ContactKindEnum = enumOf(contactKinds);
registerEnumType(AlertKindEnum, { name: "AlertKind" });
registerEnumType(AlertUrgencyEnum, {
  name: "AlertUrgency",
  description: "How fast the alert must reach people; also how long it stays open.",
});
registerEnumType(AlertStatusEnum, { name: "AlertStatus" });
registerEnumType(ContactKindEnum, {
  name: "ContactKind",
  description: "How a responder is reached besides the in-app inbox; INBOX means the inbox only.",
});

/** network owns Circle; defense refers to it by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Circle")
export class DefenseCircle {
  @Field(() => ID) id!: string;
}

/** network owns Member; defense refers to it by id. */
@Directive('@key(fields: "id")')
@Disclose("public")
@ObjectType("Member")
export class DefenseMember {
  @Field(() => ID) id!: string;
}

@Disclose("members")
@ObjectType({ description: "A weekly on-call window in UTC: weekday 0 (Monday) to 6, minutes from midnight." })
export class ResponderShift {
  @Field(() => Int) weekday!: number;
  @Field(() => Int) startMinute!: number;
  @Field(() => Int) endMinute!: number;
}

@Disclose("members")
@ObjectType({ description: "A branch of a circle's alert tree; an unanswered call climbs to its parent." })
export class ResponderBranch {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true }) parentBranchId!: string | null;
  @Field(() => Int, { description: "Active responders in this branch." }) responderCount!: number;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description:
    "A member who answers alerts. Visible to the responder themself and the circle's organizers (who decide whom to trust); the contact detail only to the responder.",
})
export class Responder {
  @Field(() => ID) id!: string;
  @Field(() => DefenseCircle) circle!: DefenseCircle;
  @Field(() => DefenseMember) member!: DefenseMember;
  @Field(() => ID) branchId!: string;
  @Field(() => ContactKindEnum) contactKind!: string;
  @Field(() => [ResponderShift], { description: "On-call windows; who is on shift is called first." })
  shifts!: ResponderShift[];
  @Field(() => Boolean, { description: "Trusted responders verify alerts." }) isTrusted!: boolean;
  @Field(() => Date) joinedAt!: Date;
  circleId!: string;
  memberId!: string;
  contactSealed!: Buffer | null;
  contactSharedWithUrl!: string | null;
}

@Disclose("members")
@ObjectType({ description: "A call the alert tree placed to you: each responder sees only their own calls." })
export class AlertCall {
  @Field(() => Int, { description: "0 for a branch head; each escalation adds one." }) step!: number;
  @Field(() => ID) branchId!: string;
  @Field(() => ID) responderId!: string;
  @Field(() => Date) calledAt!: Date;
  @Field(() => Date, { description: "When the call escalates unless acknowledged." }) dueAt!: Date;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => Date, { nullable: true }) escalatedAt!: Date | null;
}

@Disclose("members")
@ObjectType({ description: "One step of an alert's life, with its time." })
export class AlertLogEntry {
  @Field(() => Date) at!: Date;
  @Field(() => String, {
    description:
      "RAISED, CALLED, ACKNOWLEDGED, UNANSWERED, CHAIN_EXHAUSTED, VERIFIED, BROADCAST, FALSE_ALARM, EXPIRED, NO_RESPONDERS.",
  })
  kind!: string;
  @Field(() => Int, { nullable: true }) step!: number | null;
  @Field(() => ID, {
    nullable: true,
    description: "Yours when the step is about you; null for every other responder's step.",
  })
  responderId!: string | null;
}

@Directive('@key(fields: "id")')
@Disclose("members")
@ObjectType({
  description:
    "An alert of a circle. Visible to whoever raised it, the responders called for it or asked to verify it, and every member once broadcast; who raised it is never shown.",
})
export class Alert {
  @Field(() => ID) id!: string;
  @Field(() => DefenseCircle) circle!: DefenseCircle;
  @Field(() => AlertKindEnum) kind!: string;
  @Field(() => String, { description: "Block-level place: a geohash of at most 6 characters." }) place!: string;
  @Field(() => AlertUrgencyEnum) urgency!: string;
  @Field(() => AlertStatusEnum) status!: string;
  @Disclose("viewer")
  @Field(() => Boolean, { description: "True for whoever raised it, and only them; nobody else can learn who did." })
  raisedByMe!: boolean;
  @Field(() => Date) raisedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Date, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  circleId!: string;
  textSealed!: Buffer;
  viewerMemberId!: string | undefined;
  viewerResponderId!: string | undefined;
}

@Disclose("public")
@ObjectType()
export class AlertPage extends PageOf(Alert) {}

@Disclose("public")
@ObjectType()
export class ResponderPage extends PageOf(Responder) {}

@Disclose("self")
@ObjectType({ description: "An entry of your defense inbox: a call, a broadcast, a reminder." })
export class DefenseNotification {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    description:
      "CALL, VERIFY (a trusted responder asked to verify an alert), BROADCAST, HEARING_REMINDER, HEARING_SHORT, HOUSING_MATCH.",
  })
  kind!: string;
  @Field(() => DefenseCircle) circle!: DefenseCircle;
  @Field(() => ID, { description: "The alert, hearing or housing match it is about." }) caseId!: string;
  @Field(() => String, {
    description: "The notification as one English sentence, alert details included.",
    deprecationReason:
      "English only: read kind and the alert fields (alertKind, alertUrgency, alertPlace, alertText, alertRaisedAt) and write the sentence in the reader's language.",
  })
  message!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Boolean, {
    description: "True once you marked your defense inbox read up to this notification or later.",
  })
  isRead!: boolean;
  @Field(() => ID, {
    nullable: true,
    description:
      "For CALL, VERIFY and BROADCAST: the alert to acknowledge, verify or mark a false alarm (the same id as caseId); null for other kinds.",
  })
  alertId!: string | null;
  @Field(() => AlertKindEnum, { nullable: true, description: "For an alert's notification: what kind of trouble." })
  alertKind!: string | null;
  @Field(() => AlertUrgencyEnum, { nullable: true, description: "For an alert's notification: how urgent it is." })
  alertUrgency!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "For an alert's notification: its block-level place, a geohash of at most 6 characters.",
  })
  alertPlace!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "For an alert's notification: the alert's own words, as written (never who wrote them).",
  })
  alertText!: string | null;
  @Field(() => Date, { nullable: true, description: "For an alert's notification: when the alert was raised." })
  alertRaisedAt!: Date | null;
}

@Disclose("public")
@ObjectType()
export class DefenseNotificationPage extends PageOf(DefenseNotification) {}

// Organizers, and responders deciding whether to share their contact with it: the resolvers say which.
@Disclose("members")
@ObjectType({
  description: "Where the circle's calls and broadcasts are POSTed, signed (see services/defense/README.md).",
})
export class DefenseWebhook {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => Date) createdAt!: Date;
}

@Disclose("viewer")
@ObjectType()
export class DefenseWebhookWithSecret {
  @Field(() => DefenseWebhook) webhook!: DefenseWebhook;
  @Field(() => String, {
    description: "The signing secret, shown this once; setting the webhook again makes a new one.",
  })
  secret!: string;
}

@Disclose("members")
@ObjectType({ description: "A circle's defense settings." })
export class DefenseSettingsType {
  @Field(() => Int) verificationsNeeded!: number;
  @Field(() => Int) callTimeoutMinutes!: number;
  @Field(() => Int) fundApprovalsNeeded!: number;
}
