import { Column, Entity, PrimaryColumn } from "typeorm";
import type { WaitingNeedSource } from "../domain/needs.js";

/**
 * A need a member has open in another service (a barter request, a tool reservation waiting), in
 * one category, until its producer says it closed. The member id is kept only to count distinct
 * people before anything is published, and goes with the row.
 */
@Entity({ name: "waiting_needs" })
export class WaitingNeedRow {
  @PrimaryColumn({ type: "text" }) source!: WaitingNeedSource;
  @PrimaryColumn({ name: "source_id", type: "uuid" }) sourceId!: string;
  @PrimaryColumn({ type: "text" }) category!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ name: "opened_at", type: "timestamptz" }) openedAt!: Date;
}
