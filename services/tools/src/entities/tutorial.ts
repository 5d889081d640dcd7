import { Column, Entity, PrimaryColumn } from "typeorm";

/** A repair tutorial in markdown, published for everyone. */
@Entity({ name: "tutorials" })
export class TutorialRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "author_member_id", type: "uuid" }) authorMemberId!: string;
  @Column({ type: "text" }) title!: string;
  @Column({ type: "text" }) markdown!: string;
  @Column({ type: "text", array: true }) categories!: string[];
  @Column({ type: "text", array: true }) steps!: string[];
  @Column({ name: "published_at", type: "timestamptz" }) publishedAt!: Date;
}
