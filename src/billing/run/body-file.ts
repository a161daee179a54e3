import { closeSync, writeSync } from "node:fs";

// Each body collects its text in a buffer of this many bytes, reused for every write: a fresh
// buffer per write would cost the kernel a page fault per page of the file. Writes are synchronous,
// as in pain008-stream.ts: the thread pool's round trips cost several times the write itself.
export const WRITE_SIZE = 1 << 20;

/** A body file of a run's pain.008 (files.ts) and the buffer its text is collected in. */
export interface Body {
  path: string;
  count: number;
  total: number;
  /** The open body file, null once closed. */
  fd: number | null;
  buffer: Buffer;
  used: number;
}

export function write(body: Body, text: string): void {
  const bytes = Buffer.byteLength(text);
  if (body.used + bytes > body.buffer.length) flush(body);
  if (bytes > body.buffer.length) writeSync(body.fd!, text);
  else body.used += body.buffer.write(text, body.used);
}

export function flush(body: Body): void {
  if (body.used === 0) return;
  writeSync(body.fd!, body.buffer, 0, body.used);
  body.used = 0;
}

export function close(body: Body): void {
  if (body.fd === null) return;
  closeSync(body.fd);
  body.fd = null;
}
