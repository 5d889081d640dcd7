import { Column, Entity, PrimaryColumn } from "typeorm";

/** A circle's rules for its library, set by organizers; absent means the defaults. */
@Entity({ name: "library_settings" })
export class LibrarySettingsRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "max_open_reservations", type: "integer" }) maxOpenReservations!: number;
  @Column({ name: "reminder_interval_hours", type: "integer" }) reminderIntervalHours!: number;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
  @Column({ name: "updated_by_member_id", type: "uuid" }) updatedByMemberId!: string;
}

/** How many days a loan of a category lasts in a circle. */
@Entity({ name: "loan_periods" })
export class LoanPeriodRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) category!: string;
  @Column({ name: "loan_days", type: "integer" }) loanDays!: number;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
}
