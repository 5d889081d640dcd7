import { Column, Entity, PrimaryColumn } from "typeorm";
import type { ListingKind } from "../domain/listings.js";

/** What a member can give (OFFER) or needs (REQUEST), tagged by skill. */
@Entity({ name: "listings" })
export class ListingRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ type: "text" }) kind!: ListingKind;
  @Column({ type: "text", array: true }) skills!: string[];
  @Column({ type: "text" }) description!: string;
  @Column({ name: "published_at", type: "timestamptz" }) publishedAt!: Date;
  @Column({ name: "updated_at", type: "timestamptz" }) updatedAt!: Date;
  @Column({ name: "withdrawn_at", type: "timestamptz", nullable: true }) withdrawnAt!: Date | null;
  /** Shown, without the member behind it, to members of the circle's active sister circles. */
  @Column({ name: "is_visible_to_sisters", type: "boolean" }) isVisibleToSisters!: boolean;
}
