import { closeSync, openSync, readSync } from "node:fs";
import type { Cents } from "../shared/money.ts";
import { BankFileError } from "./errors.ts";
import { decimalToCents } from "./reader.ts";

/**
 * Reads a pain.008 back from disk as it will go to the bank, in blocks, so a file of 800 MB costs a
 * few megabytes of memory: it must be well-formed XML (elements, attributes, entity references; no
 * comments, CDATA, DOCTYPE or processing instruction but the declaration, which our writers never
 * write), with a Document root, and its heads must agree with its transactions: the group header's
 * NbOfTxs and CtrlSum with every DrctDbtTxInf and InstdAmt of the file, each payment information's
 * with its own. No streaming XML parser is among the project's dependencies (fast-xml-parser needs
 * the whole text); this one knows only what a well-formed file of ours can contain, and refuses
 * anything else. Throws `bank_file_invalid` naming the first problem and its byte offset.
 */

export interface DirectDebitFileCheck {
  transactions: number;
  total: Cents;
  paymentInfos: { transactions: number; total: Cents }[];
}

const BLOCK = 4 << 20;
const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;
const ATTRIBUTES =
  /^(?:\s+[A-Za-z_][A-Za-z0-9._:-]*\s*=\s*(?:"[^"<&]*(?:&[^;"<]+;[^"<&]*)*"|'[^'<&]*(?:&[^;'<]+;[^'<&]*)*'))*\s*$/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
/** Elements whose text the check reads. */
const VALUES = new Set(["NbOfTxs", "CtrlSum", "InstdAmt"]);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

class Checker {
  private readonly stack: string[] = [];
  private readonly names = new Map<number, string>();
  private rootSeen = false;
  private declared = false;
  private text = "";
  /** The block `amp` was found in, and the offset of its next '&' (Infinity: none left). */
  private ampBuf: Buffer | null = null;
  private amp = Number.POSITIVE_INFINITY;
  private readonly groupHead = { count: null as number | null, total: null as Cents | null };
  private info: { count: number | null; total: Cents | null; txs: number; sum: Cents } | null = null;
  readonly result: DirectDebitFileCheck = { transactions: 0, total: 0, paymentInfos: [] };

  constructor(private readonly path: string) {}

  fail(offset: number, message: string): never {
    throw new BankFileError("bank_file_invalid", `${this.path}: ${message} (at byte ${offset})`);
  }

  /** Character data between two tags: entity references only, and only whitespace outside the root. */
  textAt(buf: Buffer, from: number, to: number, offset: number): void {
    if (from === to) return;
    const top = this.stack[this.stack.length - 1];
    // The next '&' of the block is found once and kept (`amp`): searching each text again would
    // scan to the end of the block for every text, and a byte loop costs a second per 800 MB.
    if (this.ampBuf !== buf || this.amp < from) {
      this.ampBuf = buf;
      this.amp = buf.indexOf(AMP, from);
      if (this.amp < 0) this.amp = Number.POSITIVE_INFINITY;
    }
    while (this.amp < to) {
      const i = this.amp;
      if (!ENTITY.test(buf.toString("latin1", i, Math.min(i + 12, to)))) this.fail(offset, "a bare '&'");
      const next = buf.indexOf(AMP, i + 1);
      this.amp = next < 0 ? Number.POSITIVE_INFINITY : next;
    }
    if (top === undefined) {
      if (buf.toString("latin1", from, to).trim() !== "") this.fail(offset, "text outside the root element");
    } else if (VALUES.has(top)) {
      this.text += buf.toString("latin1", from, to);
    }
  }

  /** The markup between `<` and `>`, exclusive. */
  tag(buf: Buffer, from: number, to: number, offset: number): void {
    const first = buf[from];
    if (first === 0x3f /* ? */) {
      const pi = buf.toString("latin1", from, to);
      if (this.declared || this.rootSeen || offset !== 0 || !/^\?xml\s[^?]*\?$/.test(pi)) {
        this.fail(offset, "a processing instruction other than the XML declaration");
      }
      this.declared = true;
      return;
    }
    if (first === 0x21 /* ! */) this.fail(offset, "a comment, CDATA section or DOCTYPE");
    if (first === 0x2f /* / */) {
      let end = to;
      while (end > from + 1 && isSpace(buf[end - 1]!)) end--;
      // Compared with the open element's name directly: an end tag can only be that one.
      const open = this.stack.pop();
      let same = open !== undefined && open.length === end - from - 1;
      for (let i = 0; same && i < open!.length; i++) same = open!.charCodeAt(i) === buf[from + 1 + i];
      if (!same) {
        this.fail(offset, `</${buf.toString("latin1", from + 1, end)}> closes <${open ?? "nothing"}>`);
      }
      this.close(open!, offset);
      return;
    }
    const selfClosing = buf[to - 1] === 0x2f;
    const end = selfClosing ? to - 1 : to;
    let n = from;
    while (n < end && !isSpace(buf[n]!)) n++;
    const name = this.name(buf, from, n, offset);
    if (n < end && !ATTRIBUTES.test(buf.toString("latin1", n, end)))
      this.fail(offset, `bad attributes on <${name}>`);
    if (this.stack.length === 0) {
      if (this.rootSeen) this.fail(offset, "a second root element");
      if (name !== "Document") this.fail(offset, `root element <${name}>, not <Document>`);
      this.rootSeen = true;
    }
    this.stack.push(name);
    this.text = "";
    if (name === "PmtInf") this.info = { count: null, total: null, txs: 0, sum: 0 };
    else if (name === "DrctDbtTxInf") {
      if (!this.info) this.fail(offset, "a transaction outside a payment information");
      this.info.txs += 1;
      this.result.transactions += 1;
    }
    if (selfClosing) {
      this.stack.pop();
      this.close(name, offset);
    }
  }

  /**
   * The element name in buf[from, to), interned: a file of ours has a few dozen names, each met
   * millions of times, so each is made into a string (and checked) once, and found again by a hash
   * of its bytes, then compared byte by byte. Interned names compare by identity on the stack.
   */
  private name(buf: Buffer, from: number, to: number, offset: number): string {
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const known = this.names.get(hash);
    if (known !== undefined && known.length === to - from) {
      let same = true;
      for (let i = 0; i < known.length && same; i++) same = known.charCodeAt(i) === buf[from + i];
      if (same) return known;
    }
    const name = buf.toString("latin1", from, to);
    if (!NAME.test(name)) this.fail(offset, `an invalid element name "${name.slice(0, 40)}"`);
    if (known === undefined) this.names.set(hash, name);
    return name;
  }

  private close(name: string, offset: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (VALUES.has(name)) {
      const value = this.text.trim();
      this.text = "";
      if (name === "InstdAmt") {
        const cents = this.cents(value, offset);
        if (this.info) this.info.sum += cents;
        this.result.total += cents;
      } else if (parent === "GrpHdr" || parent === "PmtInf") {
        const head = parent === "GrpHdr" ? this.groupHead : this.info;
        if (!head) return;
        if (name === "NbOfTxs") {
          if (!/^\d{1,15}$/.test(value)) this.fail(offset, `NbOfTxs "${value.slice(0, 20)}"`);
          head.count = Number(value);
        } else head.total = this.cents(value, offset);
      }
    } else if (name === "PmtInf" && this.info) {
      const { count, total, txs, sum } = this.info;
      if (count !== txs || total !== sum) {
        this.fail(
          offset,
          `a payment information says ${count} debits of ${total} cents, holds ${txs} of ${sum}`,
        );
      }
      this.result.paymentInfos.push({ transactions: txs, total: sum });
      this.info = null;
    }
  }

  private cents(value: string, offset: number): Cents {
    const cents = /^\d+(\.\d{1,2})?$/.test(value) ? decimalToCents(value) : null;
    if (cents === null) this.fail(offset, `amount "${value.slice(0, 20)}"`);
    return cents;
  }

  end(offset: number): DirectDebitFileCheck {
    if (!this.rootSeen) this.fail(offset, "no root element");
    if (this.stack.length > 0) this.fail(offset, `the file ends inside <${this.stack.at(-1)}>`);
    const { count, total } = this.groupHead;
    if (count !== this.result.transactions || total !== this.result.total) {
      this.fail(
        offset,
        `the group header says ${count} debits of ${total} cents, the file holds ${this.result.transactions} of ${this.result.total}`,
      );
    }
    return this.result;
  }
}

/** `blockSize`: bytes read at a time (tests make it small to cut tags and texts across blocks). */
export function checkDirectDebitFile(path: string, blockSize = BLOCK): DirectDebitFileCheck {
  const checker = new Checker(path);
  const fd = openSync(path, "r");
  try {
    const block = Buffer.allocUnsafe(blockSize);
    let carry: Buffer = Buffer.alloc(0);
    // Byte offset in the file of buf[0].
    let base = 0;
    for (;;) {
      const read = readSync(fd, block, 0, blockSize, null);
      const buf =
        carry.length > 0 ? Buffer.concat([carry, block.subarray(0, read)]) : block.subarray(0, read);
      const last = read === 0;
      let p = 0;
      for (;;) {
        const lt = buf.indexOf(LT, p);
        if (lt < 0) {
          if (last) checker.textAt(buf, p, buf.length, base + p);
          else break;
          p = buf.length;
          break;
        }
        const gt = buf.indexOf(GT, lt + 1);
        if (gt < 0) {
          if (last) checker.fail(base + lt, "the file ends inside a tag");
          // The text before it is complete: only the unfinished tag waits for the next block.
          checker.textAt(buf, p, lt, base + p);
          p = lt;
          break;
        }
        checker.textAt(buf, p, lt, base + p);
        checker.tag(buf, lt + 1, gt, base + lt);
        p = gt + 1;
      }
      if (last) return checker.end(base + buf.length);
      // Copied: `block` is reused for the next read.
      carry = Buffer.from(buf.subarray(p));
      base += p;
    }
  } finally {
    closeSync(fd);
  }
}
