import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "circles" })
export class CircleRow {
  @PrimaryGeneratedColumn("uuid") id!: string;
  @Column({ type: "text" }) slug!: string;
  @Column({ type: "text" }) name!: string;
  @Column({ name: "created_at", type: "timestamptz" }) createdAt!: Date;
}
