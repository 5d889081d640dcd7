import { Column, Entity, PrimaryColumn } from "typeorm";
import type { ToolCondition } from "../domain/catalogue.js";

/** A tool of a circle, kept by its host between loans and held by exactly one member at a time. */
@Entity({ name: "tools" })
export class ToolRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ type: "text" }) category!: string;
  @Column({ type: "text" }) description!: string;
  @Column({ name: "safety_notes", type: "text" }) safetyNotes!: string;
  @Column({ type: "text" }) condition!: ToolCondition;
  @Column({ name: "host_member_id", type: "uuid" }) hostMemberId!: string;
  @Column({ name: "holder_member_id", type: "uuid" }) holderMemberId!: string;
  @Column({ name: "location_cell", type: "text", nullable: true }) locationCell!: string | null;
  @Column({ name: "reservations_taken", type: "integer" }) reservationsTaken!: number;
  @Column({ name: "waiting_count", type: "integer" }) waitingCount!: number;
  @Column({ name: "open_loan_id", type: "uuid", nullable: true }) openLoanId!: string | null;
  @Column({ name: "added_at", type: "timestamptz" }) addedAt!: Date;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
  @Column({ name: "retired_at", type: "timestamptz", nullable: true }) retiredAt!: Date | null;
  @Column({ name: "last_audited_at", type: "timestamptz", nullable: true }) lastAuditedAt!: Date | null;
}
