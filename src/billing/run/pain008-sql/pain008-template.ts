import { electronicFormatIBAN, isValidBIC } from "ibantools";
import type { DirectDebitFileInput, DirectDebitTransaction } from "../../../bank/index.ts";
import { escapeXml, passesIbanScreen, sepaIdProblem, toSepaText } from "../../../bank/index.ts";
import { formatAmount } from "../../../shared/money.ts";

/**
 * Renders direct-debit transactions through a template cut from the bank writer's own output, so a
 * file of a million debits costs a few microseconds per debit instead of the writer's ~20 (a zod
 * parse and an element tree per transaction). Every value goes through the writer's own
 * normalisation (trim, SEPA transliteration, electronic IBAN, upper-case BIC, cent formatting, XML
 * escaping); anything the checks here don't accept returns null, and the caller renders that page
 * with the writer itself, which then reports the field or renders what it accepts. One check is
 * lighter than the writer's: IBANs get length, country and check digits (passesIbanScreen), not the
 * national account format, which they passed when their mandate was registered.
 */

type Header = Omit<DirectDebitFileInput, "transactions">;
export type Field =
  | "amount"
  | "endToEndId"
  | "mandateId"
  | "signedOn"
  | "name"
  | "iban"
  | "bic"
  | "remittance";

// Valid values that occur nowhere else in a transaction's XML, to find where each value goes.
const SENTINELS: Record<Field, string> = {
  endToEndId: "S1ENDTOENDSENTINEL",
  amount: "8888888.88",
  mandateId: "S2MANDATESENTINEL",
  signedOn: "1999-12-31",
  name: "S3NAMESENTINEL",
  iban: "DE89370400440532013000",
  bic: "DEUTDEFF",
  remittance: "S4REMITTANCESENTINEL",
};

export interface Template {
  /** `literals[i]` precedes `fields[i]`; the last literal closes the transaction. */
  literals: string[];
  fields: Field[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Text already in the SEPA set: transliteration would keep every character, so skip its NFD pass.
const SEPA_ONLY = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const XML_SPECIAL = /[&<>"']/;

function sepaText(value: string, maxLength: number): string {
  if (!SEPA_ONLY.test(value)) return toSepaText(value, maxLength);
  // The common case (the run's own remittance text, most names) needs no whitespace work at all.
  if (value.length <= maxLength && !value.includes("  ") && value.trim().length === value.length) {
    return value;
  }
  return value.replace(/\s+/g, " ").trim().slice(0, maxLength).trimEnd();
}

function xml(value: string): string {
  return XML_SPECIAL.test(value) ? escapeXml(value) : value;
}

export class TransactionTemplates {
  private readonly templates = new Map<string, Template>();

  constructor(
    private readonly header: Header,
    /** The bank writer's rendering of transactions without the envelope. */
    private readonly render: (header: Header, txs: DirectDebitTransaction[]) => string,
  ) {}

  /** The template of a transaction with this sequence type, with or without BIC and remittance. */
  template(seq: DirectDebitTransaction["sequenceType"], bic: boolean, remittance: boolean): Template {
    const key = `${seq}|${bic}|${remittance}`;
    let t = this.templates.get(key);
    if (t) return t;
    const xml = this.render(this.header, [
      {
        sequenceType: seq,
        amount: 888888888,
        endToEndId: SENTINELS.endToEndId,
        mandateId: SENTINELS.mandateId,
        mandateSignatureDate: SENTINELS.signedOn,
        debtorName: SENTINELS.name,
        debtorIban: SENTINELS.iban,
        debtorBic: bic ? SENTINELS.bic : undefined,
        remittanceInformation: remittance ? SENTINELS.remittance : "",
      },
    ]);
    const found: { field: Field; at: number }[] = [];
    for (const [field, value] of Object.entries(SENTINELS) as [Field, string][]) {
      const at = xml.indexOf(value);
      if (at < 0) continue;
      if (xml.indexOf(value, at + 1) >= 0) throw new Error(`pain.008 template: ${field} occurs twice`);
      found.push({ field, at });
    }
    found.sort((a, b) => a.at - b.at);
    const literals: string[] = [];
    let from = 0;
    for (const f of found) {
      literals.push(xml.slice(from, f.at));
      from = f.at + SENTINELS[f.field].length;
    }
    literals.push(xml.slice(from));
    t = { literals, fields: found.map((f) => f.field) };
    this.templates.set(key, t);
    return t;
  }

  /** The page rendered exactly as the bank writer renders it, or null to leave it to the writer. */
  renderPage(txs: readonly DirectDebitTransaction[]): string | null {
    let out = "";
    const seen = new Set<string>();
    const values = {} as Record<Field, string>;
    for (const t of txs) {
      const endToEndId = t.endToEndId.trim();
      const mandateId = t.mandateId.trim();
      if (sepaIdProblem(endToEndId) !== null || sepaIdProblem(mandateId) !== null) return null;
      if (seen.has(endToEndId)) return null;
      seen.add(endToEndId);
      if (!Number.isSafeInteger(t.amount) || t.amount < 1 || t.amount > 99_999_999_999) return null;
      if (!DATE.test(t.mandateSignatureDate) || t.mandateSignatureDate > this.header.collectionDate) {
        return null;
      }
      const name = sepaText(t.debtorName, 70);
      const iban = electronicFormatIBAN(t.debtorIban) ?? t.debtorIban;
      // Debtor IBANs were checked in full when the mandate was registered; the screen catches any
      // corrupted since (the writer, given the page, then names it).
      if (name === "" || !passesIbanScreen(iban)) return null;
      const bic = t.debtorBic === undefined ? undefined : t.debtorBic.replace(/\s+/g, "").toUpperCase();
      if (bic !== undefined && !isValidBIC(bic)) return null;
      const remittance = sepaText(t.remittanceInformation, 140);
      values.amount = formatAmount(t.amount);
      values.endToEndId = xml(endToEndId);
      values.mandateId = xml(mandateId);
      values.signedOn = t.mandateSignatureDate;
      values.name = xml(name);
      values.iban = iban;
      values.bic = bic ?? "";
      values.remittance = xml(remittance);
      const tpl = this.template(t.sequenceType, bic !== undefined, remittance !== "");
      for (let i = 0; i < tpl.fields.length; i++) out += tpl.literals[i]! + values[tpl.fields[i]!];
      out += tpl.literals[tpl.fields.length]!;
    }
    return out;
  }
}
