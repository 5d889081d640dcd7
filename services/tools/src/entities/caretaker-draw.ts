import { Column, Entity, PrimaryColumn } from "typeorm";

/** The caretaker duo of a circle's cycle, with everything needed to recompute the draw. */
@Entity({ name: "caretaker_draws" })
export class CaretakerDrawRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @Column({ type: "text" }) commitment!: string;
  @Column({ type: "text" }) seed!: string;
  @Column({ type: "uuid", array: true }) volunteers!: string[];
  @Column({ name: "previous_duo", type: "uuid", array: true }) previousDuo!: string[];
  @Column({ type: "uuid", array: true }) duo!: string[];
  @Column({ name: "drawn_at", type: "timestamptz" }) drawnAt!: Date;
}
