/** Tables of the checks module (migration 0009_checks); joined into `Database` in schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChecksTables {}
