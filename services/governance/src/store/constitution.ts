import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { Amendment } from "./proposals.js";

/** A row of `articles`. */
export interface ArticleRow {
  id: string;
  circleId: string;
  number: number;
  currentVersion: number;
}

/** A row of `article_versions`, without its circle. */
export interface ArticleVersionRow {
  articleId: string;
  version: number;
  title: string;
  text: string;
  proposalId: string;
  adoptedAt: Date;
}

/**
 * Applies a passed amendment in the closing transaction: a new article (numbered after the last) or
 * a new version of an article of the same circle. Versions are never changed, so history stays whole.
 */
export async function applyAmendment(
  tx: Queryable,
  proposal: { id: string; circleId: string; amendment: Amendment },
  now: Date,
): Promise<void> {
  const { amendment } = proposal;
  let articleId = amendment.articleId;
  let version = 1;
  if (articleId) {
    const row = await sqlRow<{ currentVersion: number }>(
      tx,
      `UPDATE articles SET current_version = current_version + 1 WHERE id = $1 AND circle_id = $2 RETURNING current_version`,
      [articleId, proposal.circleId],
    );
    if (!row) return;
    version = row.currentVersion;
  } else {
    articleId = randomUUID();
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`articles:${proposal.circleId}`]);
    await tx.query(
      `INSERT INTO articles (id, circle_id, number, current_version)
       VALUES ($1, $2, (SELECT coalesce(max(number), 0) + 1 FROM articles WHERE circle_id = $2), 1)`,
      [articleId, proposal.circleId],
    );
  }
  await tx.query(
    `INSERT INTO article_versions (article_id, circle_id, version, title, text, proposal_id, adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [articleId, proposal.circleId, version, amendment.title, amendment.text, proposal.id, now],
  );
}

export async function articlesOfCircle(db: Queryable, circleId: string): Promise<ArticleRow[]> {
  return sqlRows<ArticleRow>(db, `SELECT * FROM articles WHERE circle_id = $1 ORDER BY number`, [circleId]);
}

export async function articlesByIds(db: Queryable, ids: readonly string[]): Promise<ArticleRow[]> {
  return sqlRows<ArticleRow>(db, `SELECT * FROM articles WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Every version of these articles, oldest first, grouped by article. */
export async function versionsOf(db: Queryable, articleIds: readonly string[]): Promise<ArticleVersionRow[][]> {
  const rows = await sqlRows<ArticleVersionRow>(
    db,
    `SELECT article_id, version, title, text, proposal_id, adopted_at FROM article_versions WHERE article_id = ANY($1::uuid[]) ORDER BY article_id, version`,
    [articleIds],
  );
  return articleIds.map((id) => rows.filter((r) => r.articleId === id));
}
