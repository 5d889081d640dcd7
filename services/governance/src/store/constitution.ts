import { randomUUID } from "node:crypto";
import type { Amendment, ProposalRow } from "./proposals.js";
import type { Queryable } from "./queryable.js";

export interface ArticleRow {
  id: string;
  circleId: string;
  number: number;
  currentVersion: number;
}

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
  manager: Queryable,
  proposal: ProposalRow & { amendment: Amendment },
  now: Date,
): Promise<void> {
  const { amendment } = proposal;
  let articleId = amendment.articleId;
  let version = 1;
  if (articleId) {
    const rows: Array<{ current_version: number }> = await manager
      .query(
        `UPDATE articles SET current_version = current_version + 1 WHERE id = $1 AND circle_id = $2 RETURNING current_version`,
        [articleId, proposal.circleId],
      )
      .then((result) => (result as [Array<{ current_version: number }>, number])[0]);
    if (!rows[0]) return;
    version = rows[0].current_version;
  } else {
    articleId = randomUUID();
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`articles:${proposal.circleId}`]);
    await manager.query(
      `INSERT INTO articles (id, circle_id, number, current_version)
       VALUES ($1, $2, (SELECT coalesce(max(number), 0) + 1 FROM articles WHERE circle_id = $2), 1)`,
      [articleId, proposal.circleId],
    );
  }
  await manager.query(
    `INSERT INTO article_versions (article_id, circle_id, version, title, text, proposal_id, adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [articleId, proposal.circleId, version, amendment.title, amendment.text, proposal.id, now],
  );
}

export async function articlesOfCircle(db: Queryable, circleId: string): Promise<ArticleRow[]> {
  const rows: Array<{ id: string; circle_id: string; number: number; current_version: number }> = await db.query(
    `SELECT * FROM articles WHERE circle_id = $1 ORDER BY number`,
    [circleId],
  );
  return rows.map((r) => ({ id: r.id, circleId: r.circle_id, number: r.number, currentVersion: r.current_version }));
}

export async function articlesByIds(db: Queryable, ids: readonly string[]): Promise<ArticleRow[]> {
  const rows: Array<{ id: string; circle_id: string; number: number; current_version: number }> = await db.query(
    `SELECT * FROM articles WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, circleId: r.circle_id, number: r.number, currentVersion: r.current_version }));
}

/** Every version of these articles, oldest first, grouped by article. */
export async function versionsOf(db: Queryable, articleIds: readonly string[]): Promise<ArticleVersionRow[][]> {
  const rows: Array<{
    article_id: string;
    version: number;
    title: string;
    text: string;
    proposal_id: string;
    adopted_at: Date;
  }> = await db.query(
    `SELECT * FROM article_versions WHERE article_id = ANY($1::uuid[]) ORDER BY article_id, version`,
    [articleIds],
  );
  return articleIds.map((id) =>
    rows
      .filter((r) => r.article_id === id)
      .map((r) => ({
        articleId: r.article_id,
        version: r.version,
        title: r.title,
        text: r.text,
        proposalId: r.proposal_id,
        adoptedAt: r.adopted_at,
      })),
  );
}
