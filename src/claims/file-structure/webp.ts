import { ascii, type Finding, startsWith, u32le } from "./bytes.ts";

/**
 * The RIFF container: its size is the file's, every chunk (padded to an even size) ends inside
 * it and the last ends at the end of the file; the first is VP8, VP8L or VP8X, and the image
 * chunk carries its bitstream's signature.
 */
export function checkWebp(b: Uint8Array): Finding {
  if (b.length < 20 || ascii(b, 0, 4) !== "RIFF" || ascii(b, 8, 4) !== "WEBP") return "no WebP header";
  if (u32le(b, 4) + 8 !== b.length) return "the RIFF size is not the file's size";
  let at = 12;
  let image = false;
  let first: string | null = null;
  while (at < b.length) {
    if (at + 8 > b.length) return "a chunk is cut off";
    const type = ascii(b, at, 4);
    const size = u32le(b, at + 4);
    const end = at + 8 + size + (size % 2);
    if (end > b.length) return `chunk ${type.trim()} runs past the end`;
    const data = at + 8;
    first ??= type;
    if (type === "VP8 ") {
      if (size < 10 || !startsWith(b, [0x9d, 0x01, 0x2a], data + 3)) return "VP8 data has no frame start";
      image = true;
    } else if (type === "VP8L") {
      if (size < 5 || b[data] !== 0x2f) return "VP8L data has no signature";
      image = true;
    } else if (type === "ANIM") {
      image = true;
    }
    at = end;
  }
  if (first !== "VP8 " && first !== "VP8L" && first !== "VP8X") return "the first chunk is not an image";
  return image ? null : "no image data";
}
