import { Column, Entity, PrimaryColumn } from "typeorm";

/** A tool away from its host: from the hand-off that started it to the one that ended it. */
@Entity({ name: "loans" })
export class LoanRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  @Column({ name: "borrower_member_id", type: "uuid" }) borrowerMemberId!: string;
  @Column({ name: "host_member_id", type: "uuid" }) hostMemberId!: string;
  @Column({ name: "started_at", type: "timestamptz" }) startedAt!: Date;
  @Column({ name: "started_cycle", type: "text" }) startedCycle!: string;
  @Column({ name: "due_at", type: "timestamptz" }) dueAt!: Date;
  @Column({ type: "integer" }) renewals!: number;
  @Column({ name: "location_cell", type: "text", nullable: true }) locationCell!: string | null;
  @Column({ name: "returned_at", type: "timestamptz", nullable: true }) returnedAt!: Date | null;
}
