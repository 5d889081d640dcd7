import { Column, Entity, PrimaryColumn } from "typeorm";

/** A member willing to be drawn as caretaker, until they withdraw. */
@Entity({ name: "caretaker_volunteers" })
export class CaretakerVolunteerRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ name: "volunteered_at", type: "timestamptz" }) volunteeredAt!: Date;
  @Column({ name: "withdrawn_at", type: "timestamptz", nullable: true }) withdrawnAt!: Date | null;
}
