import { Entity, PrimaryColumn } from "typeorm";

/** A member who took part in an exchange or a loan in a cycle: the people behind those figures. */
@Entity({ name: "active_members" })
export class ActiveMemberRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @PrimaryColumn({ type: "text" }) kind!: string;
  @PrimaryColumn({ name: "member_id", type: "uuid" }) memberId!: string;
}
