import { Column, Entity, PrimaryColumn } from "typeorm";

export type AccountKind = "MEMBER" | "COMMONS" | "CLEARING";

/** A member's (or the circle commons') time-credit account. Its balances are kept per cycle (account_cycles). */
@Entity({ name: "accounts" })
export class AccountRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) kind!: AccountKind;
  @Column({ name: "member_id", type: "uuid", nullable: true }) memberId!: string | null;
  @Column({ name: "opened_at", type: "timestamptz" }) openedAt!: Date;
  /** Set when the member left the circle: their balance went to the commons and they can no longer act. */
  @Column({ name: "closed_at", type: "timestamptz", nullable: true }) closedAt!: Date | null;
}
