import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import type { TransferKind } from "../domain/ledger.js";

/** One balanced movement of credits (a journal entry); append-only. */
@Entity({ name: "transfers" })
export class TransferRow {
  @PrimaryColumn({ type: "uuid" }) id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) kind!: TransferKind;
  /** The lunar cycle the transfer counts in. */
  @Column({ type: "text" }) cycle!: string;
  @Column({ name: "exchange_id", type: "uuid", nullable: true }) exchangeId!: string | null;
  @Column({ name: "expired_account_id", type: "uuid", nullable: true }) expiredAccountId!: string | null;
  @Column({ name: "recorded_at", type: "timestamptz" }) recordedAt!: Date;
}

/** One side of a transfer: a credit (positive) or debit (negative) to one account; append-only. */
@Entity({ name: "entries" })
export class EntryRow {
  @PrimaryGeneratedColumn({ type: "bigint" }) id!: string;
  @Column({ name: "transfer_id", type: "uuid" }) transferId!: string;
  @Column({ name: "account_id", type: "uuid" }) accountId!: string;
  @Column({ name: "amount_minutes", type: "integer" }) amountMinutes!: number;
  @Column({ type: "text" }) cycle!: string;
}
