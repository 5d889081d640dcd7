import { Column, Entity, PrimaryColumn } from "typeorm";
import type { ExchangeStatus } from "../domain/exchanges.js";

/** Time given by one member to another; credits move only when the other party confirms. */
@Entity({ name: "exchanges" })
export class ExchangeRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "provider_member_id", type: "uuid" }) providerMemberId!: string;
  @Column({ name: "receiver_member_id", type: "uuid" }) receiverMemberId!: string;
  @Column({ name: "proposer_member_id", type: "uuid" }) proposerMemberId!: string;
  @Column({ type: "integer" }) minutes!: number;
  @Column({ type: "text" }) skill!: string;
  @Column({ type: "text" }) note!: string;
  @Column({ type: "text" }) status!: ExchangeStatus;
  @Column({ name: "idempotency_key", type: "text", nullable: true }) idempotencyKey!: string | null;
  @Column({ name: "proposed_at", type: "timestamptz" }) proposedAt!: Date;
  @Column({ name: "proposed_cycle", type: "text" }) proposedCycle!: string;
  @Column({ name: "decided_at", type: "timestamptz", nullable: true }) decidedAt!: Date | null;
}
