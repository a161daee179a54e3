import type { Fonts } from "./fonts.ts";
import type { DocContent, LetterContent, ScheduleContent } from "./model.ts";
import { renderPdf, type Writer } from "./pdf.ts";

/**
 * Renders a stored document's content. Pure: the same content gives the same bytes (the PDF's
 * date is the document's own date), which is what makes a stored letter reproducible.
 */
export function renderDocument(content: DocContent, fonts: Fonts): Promise<Buffer> {
  const meta = {
    title: content.subject,
    author: content.insurer,
    subject: content.subject,
    lang: content.locale,
    date: new Date(`${content.date}T00:00:00Z`),
  };
  return renderPdf(meta, fonts, (w) =>
    content.layout === "letter" ? drawLetter(w, content) : drawSchedule(w, content),
  );
}

function drawLetter(w: Writer, c: LetterContent): void {
  w.line(c.insurer, { bold: true, size: 12, color: "#0b2e59", align: "right" });
  w.gap(2);
  w.line(c.recipient, { size: 10 });
  w.gap(2);
  w.line(c.dateLine, { size: 9.5 });
  w.line(c.policyLine, { size: 9.5 });
  w.gap(1);
  w.line(c.subject, { bold: true, size: 11 });
  w.gap(1);
  for (const b of c.blocks) {
    if (b.kind === "p") {
      w.paragraph(b.text, { size: 10 });
      continue;
    }
    for (const [i, item] of b.items.entries()) w.numbered(i + 1, item, 10);
    w.gap(0.3);
  }
}

function drawSchedule(w: Writer, c: ScheduleContent): void {
  w.line(c.insurer, { bold: true, size: 12, color: "#0b2e59", align: "right" });
  w.title(c.title, 16);
  w.paragraph(c.intro);
  w.rows(c.rows);
  w.heading(c.limitsTitle);
  w.rows(c.limits);
  w.heading(c.answersTitle);
  if (c.answers.length === 0) w.paragraph(c.noAnswers);
  else w.rows(c.answers);
}
