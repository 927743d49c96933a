/** Tables of the project module (migration 0008_project); joined into `Database` in schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProjectTables {}
