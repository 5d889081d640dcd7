import { Column, Entity, PrimaryColumn } from "typeorm";

export const reservationStatuses = ["WAITING", "FULFILLED", "CANCELLED"] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** A member's place in a tool's queue; `position` is the order of arrival, never reused. */
@Entity({ name: "reservations" })
export class ReservationRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ type: "integer" }) position!: number;
  @Column({ type: "text" }) status!: ReservationStatus;
  @Column({ name: "reserved_at", type: "timestamptz" }) reservedAt!: Date;
  @Column({ name: "closed_at", type: "timestamptz", nullable: true }) closedAt!: Date | null;
}
