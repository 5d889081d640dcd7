import { Column, Entity, PrimaryColumn } from "typeorm";

/** One circle's expiry of one cycle; `finishedAt` marks it complete. */
@Entity({ name: "expiry_runs" })
export class ExpiryRunRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @Column({ name: "started_at", type: "timestamptz" }) startedAt!: Date;
  @Column({ name: "finished_at", type: "timestamptz", nullable: true }) finishedAt!: Date | null;
  @Column({ name: "accounts_expired", type: "integer", nullable: true }) accountsExpired!: number | null;
  @Column({ name: "accounts_with_credits_expired", type: "integer", nullable: true }) accountsWithCreditsExpired!:
    number | null;
  @Column({ name: "accounts_with_debts_annulled", type: "integer", nullable: true }) accountsWithDebtsAnnulled!:
    number | null;
  @Column({ name: "credits_expired_minutes", type: "integer", nullable: true }) creditsExpiredMinutes!: number | null;
  @Column({ name: "debts_annulled_minutes", type: "integer", nullable: true }) debtsAnnulledMinutes!: number | null;
}
