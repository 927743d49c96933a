/**
 * A small free-list of large pixel buffers, reused from page to page. Allocating (and freeing) ~10-MB
 * buffers per page means fresh mmap'd memory each time — page faults and, with two worker threads in one
 * process, TLB shoot-downs on both cores. A buffer is handed to one caller at a time (acquire → release),
 * so concurrent processPage calls in one thread stay safe.
 */
const free: Uint8Array[] = [];
const MAX_FREE = 24;

export function acquire(size: number): Uint8Array {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    if (free[i]!.length >= size && (best < 0 || free[i]!.length < free[best]!.length)) best = i;
  }
  if (best >= 0) {
    const buf = free.splice(best, 1)[0]!;
    return buf.length === size ? buf : buf.subarray(0, size);
  }
  // A little headroom so that pages of slightly different sizes can share buffers.
  return new Uint8Array(Math.ceil(size * 1.05)).subarray(0, size);
}

export function release(...bufs: Array<Uint8Array | null | undefined>): void {
  for (const b of bufs) {
    if (!b || b.byteOffset !== 0) continue;
    const whole = new Uint8Array(b.buffer, 0, b.buffer.byteLength);
    if (whole.length < 1 << 20 || free.some((f) => f.buffer === whole.buffer)) continue;
    free.push(whole);
    if (free.length > MAX_FREE) free.sort((x, y) => y.length - x.length).pop();
  }
}

/** A pixel-buffer allocator for one page: everything it hands out is released together. */
export type Alloc = (bytes: number) => Uint8Array;

export function int32(alloc: Alloc | undefined, n: number): Int32Array {
  if (!alloc || n < 1 << 16) return new Int32Array(n);
  const b = alloc(n * 4);
  return new Int32Array(b.buffer, 0, n);
}

export function zeroed(alloc: Alloc | undefined, n: number): Uint8Array {
  if (!alloc) return new Uint8Array(n);
  return alloc(n).fill(0);
}
