import { Column, Entity, PrimaryColumn } from "typeorm";

/** An example row of a circle: what a member wrote, and when. Replace it with governance's first real table. */
@Entity({ name: "notes" })
export class NoteRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ type: "text" }) text!: string;
  @Column({ name: "written_at", type: "timestamptz" }) writtenAt!: Date;
}
