import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/**
 * A refresh token: an opaque secret of which only the hash is stored. Each use replaces it with a
 * new one (`replacedAt`); a replaced token used again means it was copied, and every token of the
 * person is revoked.
 */
@Entity({ name: "refresh_tokens" })
export class RefreshTokenRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "person_id", type: "uuid" }) personId!: string;
  /** The membership the session was opened through; its member is the session's `member`. */
  @Column({ name: "member_id", type: "uuid" }) memberId!: string;
  @Column({ name: "token_hash", type: "text" }) tokenHash!: string;
  @Column({ name: "issued_at", type: "timestamptz" }) issuedAt!: Date;
  @Column({ name: "expires_at", type: "timestamptz" }) expiresAt!: Date;
  @Column({ name: "replaced_at", type: "timestamptz", nullable: true }) replacedAt!: Date | null;
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true }) revokedAt!: Date | null;
}
