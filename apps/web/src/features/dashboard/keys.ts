/**
 * Query keys of the dashboard and the task lists. They sit under 'project', the prefix the project
 * pages invalidate after every change, so the bell and the lists follow a batch action at once.
 */
export const dashboardKeys = {
  dashboard: (query: object) => ['project', 'dashboard', query] as const,
  tasks: ['project', 'tasks'] as const,
  summary: ['project', 'tasks', 'summary'] as const,
};
