import type { Router } from '../../platform/http/routing.js';
import type { DashboardService } from './dashboard.service.js';

export function dashboardRoutes(_router: Router, _dashboard: DashboardService): void {}
