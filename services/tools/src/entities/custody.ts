import { Column, Entity, PrimaryColumn } from "typeorm";

/** One link of a tool's chain of custody: who held it, from when until when (null: still). */
@Entity({ name: "custody" })
export class CustodyRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ name: "held_from", type: "timestamptz" }) heldFrom!: Date;
  @Column({ name: "held_until", type: "timestamptz", nullable: true }) heldUntil!: Date | null;
  @Column({ name: "hand_off_id", type: "uuid", nullable: true }) handOffId!: string | null;
}
