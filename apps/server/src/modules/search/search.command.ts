import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Core } from '../../app.js';

const STAGES = { cadres: '干部', materials: '材料', pages: '页面' } as const;

/** `dangan search reindex`: rebuilds the search index from the catalogue and the page texts. */
export function registerSearchCommand(program: Command, withCore: <T>(fn: (core: Core) => Promise<T>) => Promise<T>): void {
  const search = program.command('search').description('全文检索');
  search
    .command('reindex')
    .description('重建检索索引（干部、材料目录与页面文字），显示进度')
    .action(async () => {
      await withCore(async (core) => {
        const bar = new SingleBar(
          { format: '{stage} [{bar}] {value}/{total}', hideCursor: true, noTTYOutput: !process.stdout.isTTY },
          Presets.shades_classic,
        );
        let current = '';
        const result = await core.search.reindex((done, total, stage) => {
          if (stage !== current) {
            if (current) bar.stop();
            current = stage;
            bar.start(total, done, { stage: STAGES[stage] });
          } else bar.update(done);
        });
        if (current) bar.stop();
        console.log(`检索索引已重建：干部 ${result.cadres}、材料 ${result.materials}、页面 ${result.pages}，用时 ${result.seconds.toFixed(1)} 秒`);
      });
    });
  search
    .command('catch-up')
    .description('补建索引：OCR 或校对后尚未入索引的页面及变更过的目录')
    .action(async () => {
      await withCore(async (core) => {
        const r = await core.search.indexPending();
        console.log(`已补建索引：页面 ${r.pages}、目录 ${r.catalogue}`);
      });
    });
}
