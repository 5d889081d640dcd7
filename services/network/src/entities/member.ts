import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { CircleRole } from "@rhizome/kit";
import type { Bloc } from "../domain/bloc.js";

/**
 * A pseudonymous membership of one person in one circle. When the member leaves, the row stays (the
 * circle's history refers to it) but holds nothing about them: a tombstone handle, no person, no
 * passphrase, no bloc and no roles.
 */
@Entity({ name: "members" })
export class MemberRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  /** Null once the member has left. */
  @Column({ name: "person_id", type: "uuid", nullable: true }) personId!: string | null;
  @Column({ type: "text" }) handle!: string;
  @Column({ name: "passphrase_hash", type: "text", nullable: true }) passphraseHash!: string | null;
  @Column({ type: "text", nullable: true }) bloc!: Bloc | null;
  @Column({ type: "text", array: true }) roles!: CircleRole[];
  @Column({ name: "joined_at", type: "timestamptz" }) joinedAt!: Date;
  @Column({ name: "left_at", type: "timestamptz", nullable: true }) leftAt!: Date | null;
}
