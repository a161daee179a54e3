import type { Finding } from "./bytes.ts";

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");

/**
 * The header, a last `startxref` followed only by `%%EOF` and line ends, and the offset it gives
 * pointing at a cross-reference table (`xref`) or stream (`N G obj`) inside the file. A PDF is too
 * rich to check fully here; this refuses what is not a PDF at all or is cut off.
 */
export function checkPdf(b: Uint8Array): Finding {
  const head = latin1(b.subarray(0, 16));
  if (!/^%PDF-(1\.[0-7]|2\.0)\s/.test(head)) return "no PDF header";
  const tail = latin1(b.subarray(Math.max(0, b.length - 1024)));
  const m = /startxref\s+(\d{1,12})\s+%%EOF[\r\n\s\0]*$/.exec(tail);
  if (!m) return "no startxref and %%EOF at the end";
  const offset = Number(m[1]);
  if (offset < 9 || offset >= b.length) return "startxref points outside the file";
  const at = latin1(b.subarray(offset, offset + 32));
  if (!/^(xref\s|\d+\s+\d+\s+obj\b)/.test(at)) return "startxref does not point at a cross-reference";
  return null;
}
