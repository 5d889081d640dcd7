import { Column, Entity, PrimaryColumn } from "typeorm";

import type { StoryReview } from "../domain/stories.js";
export type { StoryReview };

/** A member's story, stored only as the teller chose to tell it (names and places already replaced). */
@Entity({ name: "stories" })
export class StoryRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) cycle!: string;
  @Column({ type: "text" }) title!: string;
  @Column({ type: "text" }) body!: string;
  /** Null once the teller has left the circle. */
  @Column({ name: "teller_member_id", type: "uuid", nullable: true }) tellerMemberId!: string | null;
  @Column({ name: "teller_consents", type: "boolean" }) tellerConsents!: boolean;
  @Column({ type: "text" }) review!: StoryReview;
  @Column({ name: "reviewed_by", type: "uuid", nullable: true }) reviewedBy!: string | null;
  @Column({ name: "reviewed_at", type: "timestamptz", nullable: true }) reviewedAt!: Date | null;
  @Column({ name: "submitted_at", type: "timestamptz" }) submittedAt!: Date;
}
