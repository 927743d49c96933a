import { useState } from 'react';

/** The last non-null value: a dialog keeps showing its subject while it animates closed. */
export function useLatched<T>(value: T | null): T | null {
  const [kept, setKept] = useState<T | null>(value);
  if (value !== null && value !== kept) setKept(value);
  return value ?? kept;
}
