import { readFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

/** Evidence files of each accepted type: real encoders' output, or built to the format's rules. */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/evidence/${name}`, import.meta.url));

/** A PNG from a real encoder (swagger-ui's favicon). */
export const realPng = () => fixture("swagger-favicon-16.png");
/** A JPEG from a real encoder (an image of Node's documentation). */
export const realJpeg = () => fixture("nodejs-stripe.jpg");

/** The smallest lossless WebP: a 1×1 VP8L image (RIFF size 26, chunk size 13 padded to 14). */
export function webp(): Buffer {
  return Buffer.from("524946461a000000574542505650384c0d0000002f00000010071011118888fe0700", "hex");
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG of `size`×`size` pixels, its CRCs from zlib (an implementation apart from ours). */
export function png(size = 4, grey = 128): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.concat(Array.from({ length: size }, () => Buffer.from([0, ...Array(size).fill(grey)])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with `text` on it and a correct cross-reference table. */
export function pdf(text = "evidence"): Buffer {
  const safe = text.replace(/[\\()]/g, "");
  const content = `BT /F1 12 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
