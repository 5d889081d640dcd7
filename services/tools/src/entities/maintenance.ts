import { Column, Entity, PrimaryColumn } from "typeorm";
import type { ToolCondition } from "../domain/catalogue.js";

export const maintenanceKinds = ["AUDIT", "REPAIR"] as const;
export type MaintenanceKind = (typeof maintenanceKinds)[number];

/** An audit (the condition a caretaker found) or a repair (work done, and the condition after). */
@Entity({ name: "maintenance" })
export class MaintenanceRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "tool_id", type: "uuid" }) toolId!: string;
  @Column({ type: "text" }) kind!: MaintenanceKind;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ type: "text" }) condition!: ToolCondition;
  @Column({ type: "text" }) notes!: string;
  @Column({ type: "integer", nullable: true }) minutes!: number | null;
  @Column({ type: "text" }) parts!: string;
  @Column({ name: "exchange_id", type: "uuid", nullable: true }) exchangeId!: string | null;
  @Column({ name: "recorded_at", type: "timestamptz" }) recordedAt!: Date;
  @Column({ type: "text" }) cycle!: string;
}
