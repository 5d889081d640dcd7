import { Column, Entity, PrimaryColumn } from "typeorm";

/** A circle's choices about its figures: whether it takes part in comparisons. */
@Entity({ name: "circle_settings" })
export class CircleSettingsRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "is_opted_out_of_comparison", type: "boolean" }) isOptedOutOfComparison!: boolean;
  @Column({ name: "updated_by", type: "uuid" }) updatedBy!: string;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
}
