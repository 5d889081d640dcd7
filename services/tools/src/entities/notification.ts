import { Column, Entity, PrimaryColumn } from "typeorm";

export const notificationKinds = [
  "LOAN_OVERDUE",
  "LOAN_STILL_OVERDUE",
  "CARETAKERS_LOAN_OVERDUE",
  "TOOL_RETIRED",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** A message in one member's in-app inbox. */
@Entity({ name: "notifications" })
export class NotificationRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ type: "text" }) kind!: NotificationKind;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  /** Null for TOOL_RETIRED, which is about a reservation. */
  @Column({ name: "loan_id", type: "uuid", nullable: true }) loanId!: string | null;
  @Column({ name: "due_at", type: "timestamptz", nullable: true }) dueAt!: Date | null;
  @Column({ name: "dedupe_key", type: "text" }) dedupeKey!: string;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt!: Date;
}
