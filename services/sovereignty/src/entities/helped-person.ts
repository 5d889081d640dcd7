import { Entity, PrimaryColumn } from "typeorm";

/** A pseudonym of a person a service helped in a cycle (never their id): the people behind a figure whose events name nobody. */
@Entity({ name: "helped_people" })
export class HelpedPersonRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @PrimaryColumn({ type: "text" }) kind!: string;
  @PrimaryColumn({ name: "helped_key", type: "text" }) helpedKey!: string;
}
