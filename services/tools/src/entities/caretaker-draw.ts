import { Column, Entity, PrimaryColumn } from "typeorm";

/** The caretaker duo of a circle's cycle, with everything needed to recompute the draw. */
@Entity({ name: "caretaker_draws" })
export class CaretakerDrawRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @Column({ name: "draw_id", type: "uuid", nullable: true }) drawId!: string | null;
  /** The frozen pool's commitment (the witnessed draw's). */
  @Column({ type: "text", nullable: true }) commitment!: string | null;
  /** The draw seed; null when the duo was carried over. */
  @Column({ type: "text", nullable: true }) seed!: string | null;
  @Column({ type: "uuid", array: true }) volunteers!: string[];
  @Column({ name: "previous_duo", type: "uuid", array: true }) previousDuo!: string[];
  @Column({ type: "uuid", array: true }) duo!: string[];
  @Column({ name: "drawn_at", type: "timestamptz" }) drawnAt!: Date;
}
