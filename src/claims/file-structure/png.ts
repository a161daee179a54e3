import { ascii, type Finding, startsWith, u32be } from "./bytes.ts";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG (ISO 3309) defines it. */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The signature, then chunk by chunk to IEND, each with its CRC: IHDR first, at least one IDAT,
 * IEND last and nothing after it (bytes after IEND are how a PNG carries a second file).
 */
export function checkPng(b: Uint8Array): Finding {
  if (!startsWith(b, SIGNATURE)) return "no PNG signature";
  let at = SIGNATURE.length;
  let chunks = 0;
  let idat = false;
  while (at < b.length) {
    if (at + 12 > b.length) return "a chunk is cut off";
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) return `chunk ${chunks + 1} has no valid type`;
    if (length > 0x7fffffff || at + 12 + length > b.length) return `chunk ${type} runs past the end`;
    const crc = u32be(b, at + 8 + length);
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== crc) return `chunk ${type} fails its CRC`;
    if (chunks === 0 && (type !== "IHDR" || length !== 13)) return "the first chunk is not IHDR";
    if (type === "IDAT") idat = true;
    at += 12 + length;
    chunks += 1;
    if (type === "IEND") {
      if (length !== 0) return "IEND carries data";
      if (!idat) return "no image data (IDAT)";
      return at === b.length ? null : "there are bytes after IEND";
    }
  }
  return "no IEND chunk";
}
