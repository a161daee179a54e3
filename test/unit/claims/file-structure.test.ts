import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanFileName } from "../../../src/claims/evidence.ts";
import { FILE_CHECKS } from "../../../src/claims/file-structure/index.ts";
import { crc32 } from "../../../src/claims/file-structure/png.ts";
import { pdf, png, realJpeg, realPng, webp } from "../../support/evidence-files.ts";

const FILES: [string, () => Buffer][] = [
  ["image/png", realPng],
  ["image/png", () => png(9, 30)],
  ["image/jpeg", realJpeg],
  ["image/webp", webp],
  ["application/pdf", () => pdf("police report")],
];
const check = (type: string, b: Uint8Array) => FILE_CHECKS[type]!(b);

describe("evidence structure checks", () => {
  it.each(FILES)("accept a well-formed %s", (type, file) => {
    expect(check(type, file())).toBeNull();
  });

  it("refuses a PNG header followed by HTML (the reported polyglot)", () => {
    const fake = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from("<html><script>alert(1)</script></html>"),
    ]);
    expect(check("image/png", fake)).toMatch(/chunk/);
  });

  it.each(FILES)("refuse a %s cut off anywhere", (type, file) => {
    const b = file();
    // A PDF's last line end is optional: cutting it off leaves a complete file.
    const last = type === "application/pdf" ? b.length - 2 : b.length - 1;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: last }), (cut) => {
        expect(check(type, b.subarray(0, cut))).not.toBeNull();
      }),
    );
  });

  it.each(FILES.filter(([t]) => t !== "application/pdf"))(
    "refuse a %s with anything after its end",
    (type, file) => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (tail) => {
          expect(check(type, Buffer.concat([file(), tail]))).not.toBeNull();
        }),
      );
    },
  );

  it("refuses a PDF whose end is not its cross-reference", () => {
    const html = Buffer.concat([pdf(), Buffer.from("<html><script>alert(1)</script></html>")]);
    expect(check("application/pdf", html)).not.toBeNull();
    const moved = Buffer.from(
      pdf()
        .toString("latin1")
        .replace(/startxref\n\d+/, "startxref\n12"),
      "latin1",
    );
    expect(check("application/pdf", moved)).toMatch(/cross-reference/);
  });

  it("refuses a PNG with any byte changed after the signature (CRC)", () => {
    const b = png();
    fc.assert(
      fc.property(fc.integer({ min: 8, max: b.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const changed = Buffer.from(b);
        changed[at] = changed[at]! ^ x;
        expect(check("image/png", changed)).not.toBeNull();
      }),
    );
  });

  it("computes PNG's CRC-32 as zlib does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(crc32(b)).toBe(zlibCrc32(b));
      }),
    );
  });

  it("refuse each type's bytes declared as another type", () => {
    for (const [type] of FILES)
      for (const [other, file] of FILES) if (other !== type) expect(check(type, file())).not.toBeNull();
  });
});

describe("evidence file names", () => {
  it("lose bidi controls, other invisible characters and any path", () => {
    expect(cleanFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanFileName("a\u2066b\u2069c\u200Bd\u200Fe\u061Cf\u0000g\u0085h\u2028i.pdf")).toBe(
      "abcdefghi.pdf",
    );
    expect(cleanFileName("..\\..\\C:/x/report.pdf")).toBe("report.pdf");
    expect(cleanFileName("cafe\u0301.pdf")).toBe("café.pdf");
  });

  it("never keep a control or format character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", maxLength: 40 }), (name) => {
        expect(cleanFileName(name)).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}/\\]/u);
      }),
    );
  });
});
