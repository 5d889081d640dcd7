import { Column, Entity, PrimaryColumn } from "typeorm";

/** One published figure of a closed cycle, a row each so comparisons can sort by any metric. */
@Entity({ name: "published_figures" })
export class PublishedFigureRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) metric!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @Column({ type: "double precision" }) value!: number;
}
