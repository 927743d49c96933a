import type { Router } from '../../platform/http/routing.js';
import type { ChecksService } from './checks.service.js';

export function checksRoutes(_router: Router, _checks: ChecksService): void {}
