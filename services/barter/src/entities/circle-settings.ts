import { Column, Entity, PrimaryColumn } from "typeorm";

/** Barter's own record of a circle: its balance limits and when barter first heard of it. */
@Entity({ name: "circle_settings" })
export class CircleSettingsRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "floor_minutes", type: "integer" }) floorMinutes!: number;
  @Column({ name: "ceiling_minutes", type: "integer" }) ceilingMinutes!: number;
  @Column({ name: "first_seen_at", type: "timestamptz" }) firstSeenAt!: Date;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
}
