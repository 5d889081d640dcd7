import { Column, Entity, PrimaryColumn } from "typeorm";
import type { PublishedFigures } from "../domain/scores.js";

/** The published figures of an ended cycle, kept when it closes and amended by late events. */
@Entity({ name: "cycle_scores" })
export class CycleScoreRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @Column({ type: "jsonb" }) figures!: PublishedFigures;
  @Column({ name: "computed_at", type: "timestamptz" }) computedAt!: Date;
}
