import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import type { JobQueue } from '../../platform/queue/queue.js';
import type { AccessService } from '../access/access.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { BlobPort } from '../scans/scans.ports.js';
import type { SettingsService } from '../settings/settings.service.js';

/** What the digitization-project modules (project, checks, dashboard) are built from. */
export interface ModuleDeps {
  db: Db;
  kind: DatabaseKind;
  clock: Clock;
  audit: AuditLog;
  access: AccessService;
  settings: SettingsService;
  queue: JobQueue;
  blobs: BlobPort;
}
