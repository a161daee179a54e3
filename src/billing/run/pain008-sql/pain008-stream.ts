import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import {
  BankFileError,
  buildDirectDebitFile,
  checkDirectDebitFile,
  type DirectDebitFileInput,
  type DirectDebitTransaction,
} from "../../../bank/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { type Cents, formatAmount } from "../../../shared/money.ts";

/**
 * A pain.008 file too large to hold in memory (a collection date can carry hundreds of thousands
 * of debits), made of the bank module's writer's bytes: the envelope comes from a file with one
 * representative transaction per sequence type whose counts and sums are set to the totals, and the
 * transactions are rendered page by page (through a template cut from the same writer's output,
 * pain008-template.ts, or the writer itself for a page the template doesn't accept). A unit test
 * proves the result equals `buildDirectDebitFile` on the whole list, byte for byte.
 */

export type FileHeader = Omit<DirectDebitFileInput, "transactions">;

const TX_OPEN = "      <DrctDbtTxInf>\n";
const TX_CLOSE = "      </DrctDbtTxInf>\n";
const PMT_OPEN = "    <PmtInf>\n";
// Bytes copied at a time from a body into its file.
const COPY_SIZE = 4 << 20;

function setFirst(text: string, tag: string, value: string): string {
  const re = new RegExp(`<${tag}>[^<]*</${tag}>`);
  if (!re.test(text)) throw new Error(`pain.008 envelope without ${tag}`);
  return text.replace(re, `<${tag}>${value}</${tag}>`);
}

/** The transactions of one page as rendered by the bank writer, without any envelope. */
export function renderTransactions(header: FileHeader, txs: DirectDebitTransaction[]): string {
  let xml: string;
  try {
    xml = buildDirectDebitFile({ ...header, transactions: txs });
  } catch (e) {
    // The writer names `transactions[i].field`; the invoice reference is what an operator can find.
    if (e instanceof ValidationError) {
      const issues = e.issues.map((i) => {
        const m = /^transactions\[(\d+)\]\.?(.*)$/.exec(i.path);
        const ref = m ? txs[Number(m[1])]?.endToEndId : undefined;
        return ref ? { path: `invoice ${ref}${m?.[2] ? ` ${m[2]}` : ""}`, message: i.message } : i;
      });
      throw new ValidationError(issues);
    }
    throw e;
  }
  const start = xml.indexOf(TX_OPEN);
  const end = xml.lastIndexOf(TX_CLOSE);
  if (start < 0 || end < start) throw new Error("pain.008 writer output without transactions");
  return xml.slice(start, end + TX_CLOSE.length);
}

/** Rendered transactions cut apart, one text each. */
export function splitTransactions(xml: string, count: number): string[] {
  const out: string[] = [];
  let at = xml.indexOf(TX_OPEN);
  while (at >= 0) {
    const next = xml.indexOf(TX_OPEN, at + TX_OPEN.length);
    out.push(xml.slice(at, next < 0 ? xml.length : next));
    at = next;
  }
  if (out.length !== count) throw new Error(`pain.008: ${count} transactions rendered as ${out.length}`);
  return out;
}

interface Envelope {
  head: string;
  groups: { before: string; after: string }[];
}

interface GroupTotals {
  count: number;
  total: Cents;
}

/**
 * A stand-in transaction of a sequence type: the envelope is cut around the transactions, so any
 * the writer accepts gives the same envelope.
 */
function standIn(
  header: FileHeader,
  sequenceType: DirectDebitTransaction["sequenceType"],
): DirectDebitTransaction {
  return {
    sequenceType,
    amount: 1,
    endToEndId: `ENVELOPE-${sequenceType}`,
    mandateId: "ENVELOPE",
    mandateSignatureDate: header.collectionDate,
    debtorName: header.creditor.name,
    debtorIban: header.creditor.iban,
    remittanceInformation: "",
  };
}

function envelope(
  header: FileHeader,
  groups: (GroupTotals & Pick<RenderedGroup, "sequenceType">)[],
): Envelope {
  const xml = buildDirectDebitFile({
    ...header,
    transactions: groups.map((g) => standIn(header, g.sequenceType)),
  });
  const parts = xml.split(PMT_OPEN);
  if (parts.length !== groups.length + 1) throw new Error("unexpected pain.008 envelope shape");
  const count = groups.reduce((n, g) => n + g.count, 0);
  const total = groups.reduce((n, g) => n + g.total, 0);
  const head = setFirst(setFirst(parts[0]!, "NbOfTxs", String(count)), "CtrlSum", formatAmount(total));
  return {
    head,
    groups: groups.map((g, i) => {
      const info = setFirst(
        setFirst(parts[i + 1]!, "NbOfTxs", String(g.count)),
        "CtrlSum",
        formatAmount(g.total),
      );
      const start = info.indexOf(TX_OPEN);
      const end = info.lastIndexOf(TX_CLOSE);
      return { before: PMT_OPEN + info.slice(0, start), after: info.slice(end + TX_CLOSE.length) };
    }),
  };
}

/** A group whose transactions were already rendered, in file order, into `bodyPath`. */
export interface RenderedGroup {
  sequenceType: DirectDebitTransaction["sequenceType"];
  count: number;
  total: Cents;
  /** A file that starts with `headRoom(header)` bytes of room, then the transactions. */
  bodyPath: string;
}

/**
 * The bytes a body file keeps free at its start: the longest head and first payment information a
 * file of this header can have (15-digit counts, the largest safe sums). The first group's body
 * becomes the file itself, its head written into that room, so the bulk of a file is never copied.
 */
export function headRoom(header: FileHeader): number {
  const most = { count: 10 ** 15 - 1, total: Number.MAX_SAFE_INTEGER };
  const env = envelope(header, [{ sequenceType: "FRST", ...most }]);
  return Buffer.byteLength(env.head + env.groups[0]!.before);
}

/**
 * Makes the file from bodies rendered while the run was still billing (files.ts): the first
 * group's body file gets the head (counts and sums first) written into its room and the other
 * groups appended, then is fsynced and renamed to `path`, so a crash never leaves half a file under
 * the final name. The head is padded to the room with spaces before the first transaction, which
 * XML ignores there (element-only content): the file is the bank writer's, byte for byte, but for
 * that run of spaces. Synchronous: on this path (hundreds of megabytes in pieces of a few) the
 * thread pool's round trips cost several times the copy itself, and each piece blocks the event
 * loop for well under a millisecond. The body files are used up.
 */
export function assembleDirectDebitFile(path: string, header: FileHeader, groups: RenderedGroup[]): void {
  const env = envelope(header, groups);
  const room = headRoom(header);
  const [first, ...rest] = groups;
  if (!first) throw new Error("pain.008 without transactions");
  const file = openSync(first.bodyPath, "r+");
  try {
    const head = env.head + env.groups[0]!.before;
    const pad = room - Buffer.byteLength(head);
    if (pad < 0) throw new Error("pain.008 head longer than its room");
    writeSync(file, head + " ".repeat(pad), 0);
    const end = fstatSync(file).size;
    let at = end;
    const append = (text: string | Buffer, length?: number) => {
      at += typeof text === "string" ? writeSync(file, text, at) : writeSync(file, text, 0, length, at);
    };
    append(env.groups[0]!.after);
    const buf = Buffer.allocUnsafe(COPY_SIZE);
    for (const [i, g] of rest.entries()) {
      append(env.groups[i + 1]!.before);
      const body = openSync(g.bodyPath, "r");
      try {
        for (let from = room; ; ) {
          const read = readSync(body, buf, 0, buf.length, from);
          if (read === 0) break;
          from += read;
          append(buf, read);
        }
      } finally {
        closeSync(body);
      }
      append(env.groups[i + 1]!.after);
    }
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  readBack(first.bodyPath, path, groups);
  renameSync(first.bodyPath, path);
}

/**
 * The made file read back from disk before it takes its name (and so before the batch is recorded
 * as written): well-formed, its heads agreeing with its transactions, and those what was meant to be
 * written, payment information by payment information.
 */
function readBack(made: string, path: string, groups: readonly RenderedGroup[]): void {
  const found = checkDirectDebitFile(made).paymentInfos;
  const meant = groups.map((g) => ({ transactions: g.count, total: g.total }));
  const say = (p: { transactions: number; total: Cents }[]) =>
    p.map((x) => `${x.transactions} debits of ${formatAmount(x.total)}`).join(", ");
  if (say(found) !== say(meant)) {
    throw new BankFileError(
      "bank_file_invalid",
      `${path}: read back with ${say(found)}, written with ${say(meant)}; nothing recorded, run it again`,
    );
  }
}
