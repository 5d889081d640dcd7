import { Column, Entity, PrimaryColumn } from "typeorm";

/** The rates a circle values its hours and loans at, from the moment they were set (a history: never updated). */
@Entity({ name: "money_rates" })
export class MoneyRateRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ name: "set_at", type: "timestamptz" }) setAt!: Date;
  @Column({ type: "text" }) currency!: string;
  @Column({ name: "hour_value_minor", type: "int" }) hourValueMinor!: number;
  @Column({ name: "loan_value_minor", type: "int" }) loanValueMinor!: number;
}
