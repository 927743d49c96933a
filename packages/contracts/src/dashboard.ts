/** The digitization project seen whole: dashboard figures, task lists and notifications. */
export const dashboardApi = {} as const;
