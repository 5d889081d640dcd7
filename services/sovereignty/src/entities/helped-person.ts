import { Entity, PrimaryColumn } from "typeorm";

/** A pseudonym of a person behind a kind's events in a cycle (the person helped, a dispute's opener; never their id): the people behind a figure whose events name nobody. */
@Entity({ name: "helped_people" })
export class HelpedPersonRow {
  @PrimaryColumn({ name: "circle_id", type: "uuid" }) circleId!: string;
  @PrimaryColumn({ type: "text" }) cycle!: string;
  @PrimaryColumn({ type: "text" }) kind!: string;
  @PrimaryColumn({ name: "helped_key", type: "text" }) helpedKey!: string;
}
