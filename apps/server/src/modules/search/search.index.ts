import type { RawBuilder } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import type { ParsedQuery, Token } from './search.text.js';
import { PostgresSearchIndex } from './postgres.index.js';
import { SqliteSearchIndex } from './sqlite.index.js';

export type DocKind = 'cadre' | 'material' | 'page';
export type SearchTier = 'catalogue' | 'page';

/** One searchable document: a cadre (with his dossier), a material, or a page's OCR text. */
export interface IndexDoc {
  /** `c:<cadre id>`, `m:<material id>` or `p:<page id>`. */
  docId: string;
  kind: DocKind;
  cadreId: string;
  dossierId: string | null;
  /** Set for material documents; a page's material is read from the page when searching. */
  materialId: string | null;
  pageId: string | null;
  tokens: Token[];
  updatedAt: string;
}

/**
 * How a query is matched, as SQL over `search_docs d`: `from` replaces `from search_docs d` (it may join
 * the full-text table), `where` restricts it to the candidate documents. Ranking is not the index's
 * business: the service scores only the matches that pass the scope and filters (at most the cap), from
 * their text, so no engine computes a score (bm25's document frequencies, ts_rank's de-TOASTed vectors)
 * for rows that are then thrown away.
 */
export interface MatchSql {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  /**
   * Pages only: a condition on the page's current text `t.text` (and `d.doc_id`) that completes the
   * match. PostgreSQL answers a long Han phrase from its GIN index by its bigrams and checks the exact
   * sequence here, on ~1.5 KB of text, instead of rechecking positions in each candidate's tsvector.
   */
  verify?: RawBuilder<unknown>;
  /**
   * A second, disjoint set of candidates, read only when the first (`where`) yields too few: each
   * candidate row carries `d.part` (0 for `where`, 1 for `orElse`), which `verify` may look at.
   * PostgreSQL puts first the pages that cannot hold a NOT phrase (they lack one of its triples), which
   * need no check, and the pages that have all its triples, which must be read to check it, last.
   */
  orElse?: RawBuilder<unknown>;
  /** Evaluate the match as a materialized CTE (PostgreSQL: keeps the planner on the GIN index). */
  materialize?: boolean;
  /** Join the catalogue rows as lateral primary-key look-ups (PostgreSQL; SQLite has no LATERAL). */
  lateral?: boolean;
}

/** The full-text index: the same documents and query semantics on both databases. */
export interface SearchIndex {
  upsert(ex: Executor, docs: IndexDoc[]): Promise<void>;
  remove(ex: Executor, docIds: string[]): Promise<void>;
  clear(ex: Executor): Promise<void>;
  /** Around a full rebuild: PostgreSQL builds its GIN index once at the end instead of row by row. */
  beginBulk(ex: Executor): Promise<void>;
  endBulk(ex: Executor): Promise<void>;
  /**
   * `null` when the query can match nothing (no positive term). `tier` restricts the match to the
   * catalogue documents (cadres, materials) or to the pages, each answered by its own index part.
   */
  match(query: ParsedQuery, tier: SearchTier): MatchSql | null;
  sizeBytes(ex: Executor): Promise<number>;
}

export function searchIndexFor(kind: DatabaseKind): SearchIndex {
  return kind === 'postgres' ? new PostgresSearchIndex() : new SqliteSearchIndex();
}

export function docId(kind: DocKind, id: string): string {
  return `${kind[0]}:${id}`;
}
