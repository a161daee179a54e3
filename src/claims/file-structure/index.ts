import type { Finding } from "./bytes.ts";
import { checkJpeg } from "./jpeg.ts";
import { checkPdf } from "./pdf.ts";
import { checkPng } from "./png.ts";
import { checkWebp } from "./webp.ts";

export type { Finding } from "./bytes.ts";

/**
 * The accepted evidence types, each with a walk over the whole file's structure: a handler
 * opens these files, so a PNG header followed by HTML, or a file cut off, is refused.
 */
export const FILE_CHECKS: Record<string, (b: Uint8Array) => Finding> = {
  "application/pdf": checkPdf,
  "image/png": checkPng,
  "image/jpeg": checkJpeg,
  "image/webp": checkWebp,
};
