import { open, rename, rm } from "node:fs/promises";
import {
  buildDirectDebitFile,
  type DirectDebitFileInput,
  type DirectDebitTransaction,
} from "../bank/index.ts";
import { AppError, ValidationError } from "../shared/errors.ts";
import { type Cents, formatAmount } from "../shared/money.ts";
import { TransactionTemplates } from "./pain008-template.ts";

/**
 * Streams a pain.008 file too large to hold in memory (a collection date can carry hundreds of
 * thousands of debits), reusing the bank module's writer for every byte: the envelope comes from a
 * file with one representative transaction per sequence type whose counts and sums are set to the
 * totals, and the transactions are rendered page by page through a template cut from the same
 * writer's output (pain008-template.ts), falling back to the writer for a page it doesn't accept.
 * A unit test proves the result equals `buildDirectDebitFile` on the whole list, byte for byte.
 */

export interface StreamedGroup {
  sequenceType: DirectDebitTransaction["sequenceType"];
  count: number;
  total: Cents;
  /** Pages of transactions of this sequence type, in file order; together exactly `count` of them. */
  pages: () => AsyncIterable<DirectDebitTransaction[]>;
}

export type FileHeader = Omit<DirectDebitFileInput, "transactions">;

const TX_OPEN = "      <DrctDbtTxInf>\n";
const TX_CLOSE = "      </DrctDbtTxInf>\n";
const PMT_OPEN = "    <PmtInf>\n";

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

interface Envelope {
  head: string;
  groups: { before: string; after: string }[];
}

function envelope(header: FileHeader, groups: StreamedGroup[], firsts: DirectDebitTransaction[]): Envelope {
  const xml = buildDirectDebitFile({ ...header, transactions: firsts });
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
  first: DirectDebitTransaction;
  bodyPath: string;
}

/**
 * Writes the file from bodies rendered while the run was still billing (files-overlap.ts): the
 * envelope needs the counts and sums up front, so the bodies are copied in behind it. Same bytes
 * as writeDirectDebitFile on the same transactions.
 */
export async function assembleDirectDebitFile(
  path: string,
  header: FileHeader,
  groups: RenderedGroup[],
): Promise<void> {
  const env = envelope(
    header,
    groups.map((g) => ({ ...g, pages: async function* () {} })),
    groups.map((g) => g.first),
  );
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w");
  try {
    await file.write(env.head);
    for (const [i, g] of groups.entries()) {
      await file.write(env.groups[i]!.before);
      const body = await open(g.bodyPath, "r");
      try {
        const buf = Buffer.allocUnsafe(1 << 20);
        for (;;) {
          const { bytesRead } = await body.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          await file.write(buf, 0, bytesRead);
        }
      } finally {
        await body.close();
      }
      await file.write(env.groups[i]!.after);
    }
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await file.close();
  await rename(tmp, path);
}

/** Takes the first transaction of every group, so the envelope carries the right payment infos. */
async function firstOf(group: StreamedGroup): Promise<DirectDebitTransaction> {
  for await (const page of group.pages()) if (page[0]) return page[0];
  throw new AppError("conflict", `no ${group.sequenceType} transactions found for the file`);
}

/**
 * Writes the file to `path` (through a temporary file and a rename, so a crash never leaves half a
 * file under the final name). Groups must be in the bank writer's order and non-empty.
 */
export async function writeDirectDebitFile(
  path: string,
  header: FileHeader,
  groups: StreamedGroup[],
): Promise<void> {
  const firsts: DirectDebitTransaction[] = [];
  for (const g of groups) firsts.push(await firstOf(g));
  const env = envelope(header, groups, firsts);
  const templates = new TransactionTemplates(header, renderTransactions);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w");
  try {
    await file.write(env.head);
    for (const [i, g] of groups.entries()) {
      await file.write(env.groups[i]!.before);
      let seen = 0;
      let sum = 0;
      for await (const page of g.pages()) {
        if (page.length === 0) continue;
        seen += page.length;
        for (const t of page) sum += t.amount;
        await file.write(templates.renderPage(page) ?? renderTransactions(header, page));
      }
      if (seen !== g.count || sum !== g.total) {
        throw new AppError(
          "conflict",
          `${g.sequenceType} transactions changed while writing ${path}: ${seen}/${g.count} transactions`,
        );
      }
      await file.write(env.groups[i]!.after);
    }
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await file.close();
  await rename(tmp, path);
}
