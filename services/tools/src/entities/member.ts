import { Column, Entity, PrimaryColumn } from "typeorm";

/** A member of a circle as tools knows them (network's events, or their own requests). */
@Entity({ name: "members" })
export class MemberRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ name: "first_seen_at", type: "timestamptz" }) firstSeenAt!: Date;
  @Column({ name: "left_at", type: "timestamptz", nullable: true }) leftAt!: Date | null;
}
