import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package: a TrueType font with €, ✓, ✗ and every accent
 * the three languages need (pdfkit's built-in Helvetica has no ✓). Resolved through the package,
 * never copied into the repository; read once per process because every document embeds a subset.
 */
export interface Fonts {
  regular: Buffer;
  bold: Buffer;
}

let cached: Fonts | undefined;

export function fonts(): Fonts {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    cached = { regular: read("DejaVuSans.ttf"), bold: read("DejaVuSans-Bold.ttf") };
  }
  return cached;
}
