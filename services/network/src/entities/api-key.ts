import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { ApiKeyScope } from "@rhizome/kit";

/** A third-party client's key. Only its hash is stored; the key is shown once. */
@Entity({ name: "api_keys" })
export class ApiKeyRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ name: "key_hash", type: "text" }) keyHash!: string;
  @Column({ name: "key_prefix", type: "text" }) keyPrefix!: string;
  @Column({ type: "text", array: true }) scopes!: ApiKeyScope[];
  @Column({ name: "created_by", type: "uuid" }) createdBy!: string;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt!: Date;
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true }) revokedAt!: Date | null;
}
