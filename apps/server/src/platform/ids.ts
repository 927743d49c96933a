import { v7 } from 'uuid';

/** Ids are UUIDv7: unique without a database round-trip, and they sort by creation time. */
export function newId(): string {
  return v7();
}
