import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A person behind one or more memberships; holds no personal data at all. */
@Entity({ name: "persons" })
export class PersonRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt!: Date;
}
