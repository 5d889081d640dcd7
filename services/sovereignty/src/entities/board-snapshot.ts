import { Column, Entity, PrimaryColumn } from "typeorm";

/** The members' part of one category of the public needs board, as last published. */
@Entity({ name: "board_snapshots" })
export class BoardSnapshotRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) category!: string;
  @Column({ type: "int" }) members!: number;
  @Column({ type: "int" }) requests!: number;
  @Column({ type: "int" }) requesters!: number;
  @Column({ type: "int" }) reservations!: number;
  @Column({ type: "int" }) reservers!: number;
  @Column({ name: "taken_in_cycle", type: "text" }) takenInCycle!: string;
}

/** A member the published snapshot of a category counted (never published): to count who joined or left since. */
@Entity({ name: "board_snapshot_members" })
export class BoardSnapshotMemberRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) category!: string;
  @PrimaryColumn({ name: "member_id", type: "uuid" }) memberId!: string;
}

/** The cycle in which a circle's board was last reconsidered. */
@Entity({ name: "board_snapshot_cycles" })
export class BoardSnapshotCycleRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) cycle!: string;
}
