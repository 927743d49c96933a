import { z } from 'zod';
import type { JobDefinition } from '../../platform/queue/queue.js';
import type { SearchService } from './search.service.js';

export const SEARCH_INDEX_JOB = 'search.index';

/**
 * `search.index`: with a page id, (re)index that page's text; without, catch up on every page and
 * catalogue row not yet indexed. Both are idempotent, as the queue requires.
 */
export function searchIndexJob(search: SearchService): JobDefinition<{ pageId?: string }> {
  return {
    kind: SEARCH_INDEX_JOB,
    payload: z.object({ pageId: z.string().min(1).max(64).optional() }),
    handle: async ({ pageId }) => {
      if (pageId) await search.indexPage(search.db, pageId);
      else await search.indexPending();
    },
  };
}
