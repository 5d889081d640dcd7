import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { CircleRole } from "@rhizome/kit";
import type { Bloc } from "../domain/bloc.js";

/** A pseudonymous membership of one person in one circle. */
@Entity({ name: "members" })
export class MemberRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "person_id", type: "uuid" }) personId!: string;
  @Column({ type: "text" }) handle!: string;
  @Column({ name: "passphrase_hash", type: "text" }) passphraseHash!: string;
  @Column({ type: "text" }) bloc!: Bloc;
  @Column({ type: "text", array: true }) roles!: CircleRole[];
  @Column({ name: "joined_at", type: "timestamptz" }) joinedAt!: Date;
}
