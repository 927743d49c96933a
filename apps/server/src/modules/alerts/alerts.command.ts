import type { Command } from 'commander';
import type { Core } from '../../app.js';

/** `dangan alerts scan`: one round of the alert scanner, as the running server does every few seconds. */
export function registerAlertsCommand(program: Command, withCore: <T>(fn: (core: Core) => Promise<T>) => Promise<T>): void {
  program
    .command('alerts')
    .description('安全预警')
    .command('scan')
    .description('扫描审计日志中新的事件，按预警规则产生安全预警')
    .action(async () => {
      await withCore(async (core) => {
        const r = await core.alerts.scan();
        console.log(`已扫描审计事件 ${r.read} 条，新产生安全预警 ${r.raised} 条`);
      });
    });
}
