import type { Router } from '../../platform/http/routing.js';
import type { ProjectService } from './project.service.js';

export function projectRoutes(_router: Router, _project: ProjectService): void {}
