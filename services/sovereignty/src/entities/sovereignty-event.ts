import { Column, Entity, PrimaryColumn } from "typeorm";

/** One need met without a coercive intermediary, from a service's event or recorded by hand. */
@Entity({ name: "sovereignty_events" })
export class SovereigntyEventRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) cycle!: string;
  @Column({ type: "text" }) kind!: string;
  @Column({ type: "integer" }) count!: number;
  @Column({ type: "integer" }) minutes!: number;
  @Column({ type: "text" }) source!: "SERVICE" | "HAND";
  @Column({ name: "source_event_id", type: "uuid", nullable: true }) sourceEventId!: string | null;
  @Column({ name: "recorded_by", type: "uuid", nullable: true }) recordedBy!: string | null;
  @Column({ name: "idempotency_key", type: "text", nullable: true }) idempotencyKey!: string | null;
  @Column({ name: "recorded_at", type: "timestamptz" }) recordedAt!: Date;
}
