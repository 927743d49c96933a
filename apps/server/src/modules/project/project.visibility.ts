import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/**
 * Whether batch `b` (`project_batches as b`) is visible to the units: it is one of theirs, or it holds
 * one of their dossiers. The project's batch list and the dashboard both decide by this.
 */
export function batchVisible(eb: ExpressionBuilder<Database & { b: Database['project_batches'] }, 'b'>, units: readonly string[]) {
  return eb.or([
    eb('b.unit_id', 'in', units),
    eb.exists(
      eb
        .selectFrom('project_batch_dossiers as vbd')
        .innerJoin('dossiers as vd', 'vd.id', 'vbd.dossier_id')
        .innerJoin('cadres as vc', 'vc.id', 'vd.cadre_id')
        .select('vbd.dossier_id')
        .whereRef('vbd.batch_id', '=', 'b.id')
        .where('vc.managing_unit_id', 'in', units),
    ),
  ]);
}
