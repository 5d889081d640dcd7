import { Column, Entity, PrimaryColumn } from "typeorm";

/** A need an organizer posted on the circle's public board, until it is met or withdrawn. */
@Entity({ name: "needs" })
export class NeedRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) category!: string;
  @Column({ type: "text" }) title!: string;
  @Column({ name: "people_waiting", type: "integer" }) peopleWaiting!: number;
  @Column({ name: "posted_by", type: "uuid" }) postedBy!: string;
  @Column({ name: "posted_at", type: "timestamptz" }) postedAt!: Date;
  @Column({ name: "closed_at", type: "timestamptz", nullable: true }) closedAt!: Date | null;
}
