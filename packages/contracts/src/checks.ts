/** Automatic checks (数据校验) of a dossier's digitization results. */
export const checksApi = {} as const;
