/** The digitization project: batches, hand-over, stages, scan register, sampling, inspection, acceptance. */
export const projectApi = {} as const;
