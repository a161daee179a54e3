import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Reads a rendered PDF back with poppler-utils (installed by scripts/ensure-poppler.sh in
 * pretest): the text as `pdftotext -layout` lays it out, whitespace collapsed so a line break
 * inside an amount or a sentence does not matter, and `pdfinfo`'s page count and size.
 */
export interface ReadBack {
  /** The text with every run of whitespace (line breaks, NBSP) as one space. */
  text: string;
  raw: string;
  pages: number;
  pageSize: string;
}

export function readPdf(pdf: Buffer): ReadBack {
  const dir = mkdtempSync(join(tmpdir(), "cyberpolis-pdf-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    const raw = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const pageSize = /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? "";
    return { text: squash(raw), raw, pages, pageSize };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function squash(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** Asserts that each of `needles` occurs in `text`, in this order; returns the first one missing. */
export function missingInOrder(text: string, needles: readonly string[]): string | null {
  let from = 0;
  for (const n of needles) {
    const at = text.indexOf(squash(n), from);
    if (at < 0) return n;
    from = at + n.length;
  }
  return null;
}
