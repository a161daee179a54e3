import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package: a TrueType font with €, ✓, ✗ and every accent
 * the three languages need (pdfkit's built-in Helvetica has no ✓). Resolved through the package,
 * never copied into the repository. Parsed once per process: pdfkit accepts a parsed font and
 * embeds a fresh subset of it in each document, so sharing it skips re-reading 700 kB of tables
 * (and re-shaping the same words) for every letter. The output is the same bytes either way.
 */
export interface Fonts {
  regular: PDFKit.Mixins.PDFFontSource;
  bold: PDFKit.Mixins.PDFFontSource;
}

let cached: Fonts | undefined;

/** pdfkit parses a TTF with fontkit when a document selects it; that parsed font is kept. */
function parsed(ttf: Buffer): PDFKit.Mixins.PDFFontSource {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.font(ttf);
  const font = (doc as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
  // A pdfkit that keeps its fonts elsewhere still works from the bytes, only slower.
  return typeof font?.layout === "function" ? (font as unknown as PDFKit.Mixins.PDFFontSource) : ttf;
}

export function fonts(): Fonts {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    cached = { regular: parsed(read("DejaVuSans.ttf")), bold: parsed(read("DejaVuSans-Bold.ttf")) };
  }
  return cached;
}
