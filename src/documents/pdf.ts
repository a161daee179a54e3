import PDFDocument from "pdfkit";
import type { Fonts } from "./fonts.ts";

/**
 * The drawing layer every document shares: A4 pages, DejaVu Sans, headings, paragraphs, bullets
 * with the IPID's vector icons and label/value rows. Pure: data and fonts in, PDF bytes out.
 * The date in the PDF's metadata comes from the data (pdfkit also derives the file ID from it),
 * so the same data always gives the same bytes and the same content hash.
 */
export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** BCP 47 tag of the document's language ("nl-NL"), for screen readers. */
  lang: string;
  /** The document's own date (a letter's date, a version's validFrom); never the clock. */
  date: Date;
}

/** x-height of DejaVu Sans is 0.545 em: 8.5 pt gives 1.63 mm, above the IPID's 1.2 mm minimum. */
export const BODY_SIZE = 8.5;
const MARGIN = 40;

export type Icon = "check_green" | "cross_red" | "warn_orange" | "check_blue";
const ICON_COLOR: Record<Icon, string> = {
  check_green: "#2e8b3a",
  cross_red: "#c62828",
  warn_orange: "#ef8a00",
  check_blue: "#1f5fa8",
};

export class Writer {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  /** A new page when `height` points no longer fit, so an icon never stays behind its text. */
  ensure(height: number): void {
    const bottom = this.doc.page.height - this.doc.page.margins.bottom;
    if (this.doc.y + height > bottom) this.doc.addPage();
  }

  title(text: string, size = 15): this {
    this.doc
      .font("bold")
      .fontSize(size)
      .fillColor("#000")
      .text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2);
    return this;
  }

  line(
    text: string,
    opts: { bold?: boolean; size?: number; color?: string; align?: "left" | "right" } = {},
  ): this {
    this.doc
      .font(opts.bold ? "bold" : "regular")
      .fontSize(opts.size ?? BODY_SIZE)
      .fillColor(opts.color ?? "#000")
      .text(text, this.left, this.doc.y, { width: this.width, align: opts.align ?? "left", lineGap: 1 });
    return this;
  }

  heading(text: string): this {
    this.doc.font("bold").fontSize(10.5);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + 30);
    this.doc.moveDown(0.5);
    const y = this.doc.y;
    this.doc.rect(this.left, y - 2, this.width, 15).fill("#e8eef5");
    this.doc.fillColor("#0b2e59").text(text, this.left + 4, y, { width: this.width - 8 });
    this.doc.x = this.left;
    this.doc.moveDown(0.3);
    return this;
  }

  paragraph(text: string, opts: { bold?: boolean; size?: number } = {}): this {
    this.doc
      .font(opts.bold ? "bold" : "regular")
      .fontSize(opts.size ?? BODY_SIZE)
      .fillColor("#000");
    this.ensure(Math.min(this.doc.heightOfString(text, { width: this.width }), 40));
    this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: 1 });
    this.doc.moveDown(0.35);
    return this;
  }

  /** A bullet with its icon; `lead` is printed in bold before the text ("C. Schade door hacking"). */
  bullet(icon: Icon, text: string, lead = ""): this {
    const indent = 14;
    const full = lead ? `${lead}: ${text}` : text;
    const width = this.width - indent;
    this.doc.font("regular").fontSize(BODY_SIZE).fillColor("#000");
    this.ensure(this.doc.heightOfString(full, { width, lineGap: 1 }));
    const y = this.doc.y;
    drawIcon(this.doc, icon, this.left + 4.5, y + 4, 4.2);
    this.doc.fontSize(BODY_SIZE).fillColor("#000");
    if (lead) {
      this.doc.font("bold").text(`${lead}: `, this.left + indent, y, { width, lineGap: 1, continued: true });
      this.doc.font("regular").text(text, { width, lineGap: 1 });
    } else {
      this.doc.font("regular").text(text, this.left + indent, y, { width, lineGap: 1 });
    }
    this.doc.x = this.left;
    this.doc.moveDown(0.25);
    return this;
  }

  /** "1." hanging before its text: one line of a decision's explanation. */
  numbered(n: number, text: string, size = BODY_SIZE): this {
    const indent = 18;
    const width = this.width - indent;
    this.doc.font("regular").fontSize(size).fillColor("#000");
    this.ensure(this.doc.heightOfString(text, { width, lineGap: 1 }));
    const y = this.doc.y;
    this.doc.text(`${n}.`, this.left, y, { width: indent - 4 });
    this.doc.text(text, this.left + indent, y, { width, lineGap: 1 });
    this.doc.x = this.left;
    this.doc.moveDown(0.2);
    return this;
  }

  /** Label/value rows (a schedule's fields): the label in bold in the first third. */
  rows(pairs: readonly (readonly [string, string])[]): this {
    const labelWidth = Math.round(this.width * 0.34);
    for (const [label, value] of pairs) {
      this.doc.fontSize(BODY_SIZE);
      const h = Math.max(
        this.doc.font("bold").heightOfString(label, { width: labelWidth - 6 }),
        this.doc.font("regular").heightOfString(value, { width: this.width - labelWidth }),
      );
      this.ensure(h);
      const y = this.doc.y;
      this.doc
        .font("bold")
        .fillColor("#000")
        .text(label, this.left, y, { width: labelWidth - 6 });
      this.doc.font("regular").text(value, this.left + labelWidth, y, { width: this.width - labelWidth });
      this.doc.x = this.left;
      this.doc.y = y + h + 3;
    }
    return this;
  }

  gap(lines = 0.6): this {
    this.doc.moveDown(lines);
    return this;
  }
}

/** The regulation's pictograms as vectors: a filled disc with a white check, cross or "!". */
function drawIcon(doc: PDFKit.PDFDocument, icon: Icon, cx: number, cy: number, r: number): void {
  doc.save();
  doc.circle(cx, cy, r).fill(ICON_COLOR[icon]);
  doc.lineWidth(1.1).strokeColor("#fff").lineCap("round").lineJoin("round");
  if (icon === "check_green" || icon === "check_blue") {
    doc
      .moveTo(cx - r * 0.5, cy + r * 0.02)
      .lineTo(cx - r * 0.12, cy + r * 0.42)
      .lineTo(cx + r * 0.52, cy - r * 0.4)
      .stroke();
  } else if (icon === "cross_red") {
    doc
      .moveTo(cx - r * 0.4, cy - r * 0.4)
      .lineTo(cx + r * 0.4, cy + r * 0.4)
      .stroke();
    doc
      .moveTo(cx + r * 0.4, cy - r * 0.4)
      .lineTo(cx - r * 0.4, cy + r * 0.4)
      .stroke();
  } else {
    doc
      .moveTo(cx, cy - r * 0.55)
      .lineTo(cx, cy + r * 0.12)
      .stroke();
    doc.circle(cx, cy + r * 0.5, r * 0.12).fill("#fff");
  }
  doc.restore();
}

/** Renders one document: `draw` writes the pages, the bytes come back once pdfkit has finished. */
export function renderPdf(meta: PdfMeta, fonts: Fonts, draw: (w: Writer) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    // The document's own font from the start, so pdfkit does not parse Helvetica's metrics for
    // each document (its options type says a path; the constructor takes any font source).
    font: fonts.regular as string,
    size: "A4",
    margin: MARGIN,
    lang: meta.lang,
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Producer: "cyberpolis",
      Creator: "cyberpolis",
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  doc.registerFont("regular", fonts.regular, "regular");
  doc.registerFont("bold", fonts.bold, "bold");
  doc.font("regular");
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(new Writer(doc));
  doc.end();
  return done;
}

/** A blank one-page document: the benchmark's yardstick for what pdfkit costs on its own. */
export function blankPage(date: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", info: { CreationDate: date } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
  });
  doc.end();
  return done;
}
