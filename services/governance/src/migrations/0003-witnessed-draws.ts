import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Roles are drawn by witnessed draws (the kit's `witnessed_draws`, created just before this one), so
 * a holder's draw is no longer a row of `draws`. The old `draws` and `draw_seeds` stay as they were,
 * an archive nobody can add to: members no longer open draws. Roles lose their bloc quota: a public
 * draw that passed members over for their seat kind published who was passed over.
 */
export class GovernanceWitnessedDraws1796000000100 implements MigrationInterface {
  name = "GovernanceWitnessedDraws1796000000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE governance.role_holders DROP CONSTRAINT IF EXISTS role_holders_draw_id_fkey`);
    await db.query(`UPDATE governance.roles SET has_bloc_quota = false WHERE has_bloc_quota`);
    await db.query(
      `CREATE TRIGGER draws_closed_archive BEFORE INSERT ON governance.draws FOR EACH ROW EXECUTE FUNCTION governance.refuse_change()`,
    );
    await db.query(
      `CREATE TRIGGER draw_seeds_closed_archive BEFORE INSERT ON governance.draw_seeds FOR EACH ROW EXECUTE FUNCTION governance.refuse_change()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER draw_seeds_closed_archive ON governance.draw_seeds`);
    await db.query(`DROP TRIGGER draws_closed_archive ON governance.draws`);
  }
}
