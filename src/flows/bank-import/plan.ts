import { XMLParser } from "fast-xml-parser";
import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { isValidCreditorId, normaliseCreditorId } from "../../bank/index.ts";
import type { FieldIssue } from "../../shared/errors.ts";
import type { Cents } from "../../shared/money.ts";

/**
 * What a bank file asks of the database, decided before anything is applied. `return` and `pay`
 * are about an invoice or, when `charge` is set, a charge collected on its own (charges.ts).
 */
export type ImportAction =
  | { kind: "return"; reference: string; charge?: boolean; reason: string; date: string; where: string }
  | { kind: "pay"; reference: string; charge?: boolean; amount: Cents; date: string; where: string }
  | { kind: "payout_executed"; endToEndId: string; date: string; where: string }
  | { kind: "payout_rejected"; endToEndId: string; reason: string; date: string; where: string }
  | {
      kind: "payout_returned";
      endToEndId: string;
      reason: string;
      amount: Cents;
      date: string;
      where: string;
    }
  | {
      kind: "overpaid";
      policyId: string;
      /** The invoice or charge reference the payer quoted. */
      reference: string;
      amount: Cents;
      payerName: string | null;
      payerIban: string | null;
      date: string;
      where: string;
    };

export interface ImportPlan {
  actions: ImportAction[];
  /** Transactions that change nothing (positive interim statuses, foreign bank movements), with why. */
  notes: string[];
  /** Payment batches the report is about; their status moves from written to submitted. */
  batchIds: number[];
  issues: FieldIssue[];
}

export function emptyPlan(): ImportPlan {
  return { actions: [], notes: [], batchIds: [], issues: [] };
}

/**
 * Every IBAN and every SEPA creditor id in a file, wherever it sits (account, debtor, creditor
 * scheme): the readers check shape, not check digits, and one wrong digit means the file was
 * corrupted or forged, so it is refused before anything is applied.
 */
export function identifiersIn(xml: string): { ibans: string[]; creditorIds: string[] } {
  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    ignoreDeclaration: true,
  });
  const ibans: string[] = [];
  const creditorIds: string[] = [];
  const walk = (node: unknown, underCreditor: boolean) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, underCreditor);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "IBAN" && typeof value === "string") ibans.push(value.trim());
      else if (underCreditor && key === "Othr") {
        for (const o of Array.isArray(value) ? value : [value]) {
          const id = typeof o === "object" && o !== null ? (o as Record<string, unknown>).Id : undefined;
          const scheme =
            typeof o === "object" && o !== null ? (o as Record<string, unknown>).SchmeNm : undefined;
          const prtry =
            typeof scheme === "object" && scheme !== null
              ? (scheme as Record<string, unknown>).Prtry
              : undefined;
          // A private id is a creditor id when the bank names the scheme SEPA or it has CI shape.
          if (typeof id === "string" && (prtry === "SEPA" || /^[A-Z]{2}\d{2}ZZZ/i.test(id))) {
            creditorIds.push(id.trim());
          }
        }
      } else walk(value, underCreditor || key === "CdtrSchmeId" || key === "Cdtr");
    }
  };
  walk(parser.parse(xml), false);
  return { ibans, creditorIds };
}

/** Check digits of every IBAN and creditor id, and that each creditor id is ours. */
export function checkIdentifiers(xml: string, ourCreditorId: string, issues: FieldIssue[]) {
  const { ibans, creditorIds } = identifiersIn(xml);
  for (const iban of ibans) {
    const e = electronicFormatIBAN(iban);
    if (!e || !isValidIBAN(e)) {
      issues.push({ path: "IBAN", message: `IBAN ${iban} is not valid (wrong check digits or length)` });
    }
  }
  for (const raw of creditorIds) {
    const id = normaliseCreditorId(raw);
    if (!isValidCreditorId(id)) {
      issues.push({ path: "CdtrSchmeId", message: `creditor id ${raw} has wrong check digits` });
    } else if (id !== ourCreditorId) {
      issues.push({
        path: "CdtrSchmeId",
        message: `creditor id ${raw} is not ours (${ourCreditorId}): a file for another creditor`,
      });
    }
  }
}
