import { type Finding, u16be } from "./bytes.ts";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
/** Markers without a length: TEM and the restart markers. */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);
/** Start of frame: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** Skips entropy-coded data: up to the next marker that is not a stuffed 00 or a restart. */
function endOfScan(b: Uint8Array, from: number): number {
  for (let i = from; i < b.length - 1; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  return b.length;
}

/**
 * SOI, then segment by segment (each length inside the file), a frame header before the first
 * scan, each scan's data to the next marker, and EOI as the last two bytes.
 */
export function checkJpeg(b: Uint8Array): Finding {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return "no JPEG start of image";
  let at = 2;
  let frame = false;
  let scans = 0;
  while (at < b.length) {
    if (b[at] !== 0xff) return `no marker at byte ${at}`;
    while (b[at] === 0xff && at < b.length) at += 1;
    if (at >= b.length) break;
    const marker = b[at]!;
    at += 1;
    if (marker === EOI) {
      if (!frame || scans === 0) return "no image before the end marker";
      return at === b.length ? null : "there are bytes after the end of image";
    }
    if (marker === SOI || marker === 0x00) return `unexpected marker ${marker.toString(16)}`;
    if (standalone(marker)) continue;
    if (at + 2 > b.length) return "a segment is cut off";
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return `segment ${marker.toString(16)} runs past the end`;
    if (isFrame(marker)) frame = true;
    at += length;
    if (marker === SOS) {
      if (!frame) return "a scan comes before the frame header";
      scans += 1;
      at = endOfScan(b, at);
    }
  }
  return "no end of image marker";
}
