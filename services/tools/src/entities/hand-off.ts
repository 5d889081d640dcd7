import { Column, Entity, PrimaryColumn } from "typeorm";
import type { HandOffStatus } from "../domain/hand-offs.js";

/** A tool passing from one member's hands to another's: proposed by one, confirmed by the other. */
@Entity({ name: "hand_offs" })
export class HandOffRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  @Column({ name: "from_member_id", type: "uuid" }) fromMemberId!: string;
  @Column({ name: "to_member_id", type: "uuid" }) toMemberId!: string;
  @Column({ name: "proposed_by_member_id", type: "uuid" }) proposedByMemberId!: string;
  @Column({ type: "text" }) status!: HandOffStatus;
  @Column({ name: "proposed_at", type: "timestamptz" }) proposedAt!: Date;
  @Column({ name: "decided_at", type: "timestamptz", nullable: true }) decidedAt!: Date | null;
}
