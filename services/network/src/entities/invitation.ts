import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "invitations" })
export class InvitationRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "circle_id", type: "uuid" }) circleId!: string;
  @Column({ name: "code_hash", type: "text" }) codeHash!: string;
  @Column({ name: "code_hint", type: "text" }) codeHint!: string;
  @Column({ name: "max_uses", type: "integer" }) maxUses!: number;
  @Column({ type: "integer" }) uses!: number;
  @Column({ name: "expires_at", type: "timestamptz" }) expiresAt!: Date;
  @Column({ name: "created_by", type: "uuid" }) createdBy!: string;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt!: Date;
  @Column({ name: "revoked_at", type: "timestamptz", nullable: true }) revokedAt!: Date | null;
}
