import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CreditTransferFileInput, DirectDebitFileInput } from "../../../src/bank/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** The official schemas live beside the repository, never inside it (see ../shared/xsd/README.md). */
export const XSD_DIR = path.resolve(repoRoot, "../shared/xsd");
export const EPC_PAIN_008 = path.join(XSD_DIR, "EPC130-08_2025_V1.0_pain.008.001.08.xsd");
export const ISO_PAIN_008 = path.join(XSD_DIR, "pain.008.001.08.xsd");
export const ISO_PAIN_001 = path.join(XSD_DIR, "pain.001.001.09.xsd");
export const EPC_PAIN_002 = path.join(XSD_DIR, "EPC130-08_2025_V1.0_pain.002.001.10.xsd");

export function fixture(name: string): string {
  return readFileSync(path.resolve(repoRoot, "test/fixtures/bank", name), "utf8");
}

/** Valid IBANs of SEPA countries (check digits verified), for generated transactions. */
export const IBANS = [
  "NL91ABNA0417164300",
  "NL02ABNA0123456789",
  "BE68539007547034",
  "DE89370400440532013000",
  "FR1420041010050500013M02606",
] as const;

/** Wasm validation spawns a worker per call: generous, but bounded. */
export const XSD_TIMEOUT = 60_000;

export function directDebitInput(overrides: Partial<DirectDebitFileInput> = {}): DirectDebitFileInput {
  return {
    messageId: "CP-2025-02-DD",
    createdAt: new Date("2025-01-28T09:30:00Z"),
    collectionDate: "2025-02-05",
    creditor: {
      name: "Cyberpolis Verzekeringen N.V.",
      iban: "NL91 ABNA 0417 1643 00",
      bic: "ABNANL2A",
      creditorId: "NL57ZZZ999999999999",
    },
    transactions: [
      {
        sequenceType: "FRST",
        amount: 1225,
        endToEndId: "INV-2025-000001",
        mandateId: "MDT-000001",
        mandateSignatureDate: "2025-01-20",
        debtorName: "Jörg Müller & Søn",
        debtorIban: "DE89370400440532013000",
        remittanceInformation: "Premie februari 2025 polis CP-000001",
      },
      {
        sequenceType: "RCUR",
        amount: 2025,
        endToEndId: "INV-2025-000002",
        mandateId: "MDT-000002",
        mandateSignatureDate: "2024-06-01",
        debtorName: "J. de Vries",
        debtorIban: "NL02ABNA0123456789",
        debtorBic: "abnanl2a",
        remittanceInformation: "Premie februari 2025 polis CP-000002",
      },
      {
        sequenceType: "RCUR",
        amount: 2900,
        endToEndId: "INV-2025-000003",
        mandateId: "MDT-000003",
        mandateSignatureDate: "2024-09-15",
        debtorName: "Anne Peeters",
        debtorIban: "BE68539007547034",
        remittanceInformation: "",
      },
    ],
    ...overrides,
  };
}

export function creditTransferInput(
  overrides: Partial<CreditTransferFileInput> = {},
): CreditTransferFileInput {
  return {
    messageId: "CP-PAY-2025-02-03",
    createdAt: new Date("2025-02-03T08:00:00Z"),
    executionDate: "2025-02-04",
    debtor: { name: "Cyberpolis Verzekeringen N.V.", iban: "NL91ABNA0417164300", bic: "ABNANL2A" },
    transactions: [
      {
        amount: 150_000,
        endToEndId: "CLM-2025-000017",
        creditorName: "Élodie Dubois",
        creditorIban: "FR1420041010050500013M02606",
        remittanceInformation: "Uitkering claim CLM-2025-000017 (ransomware)",
      },
      {
        amount: 1_999,
        endToEndId: "REF-2025-000003",
        creditorName: "J. de Vries",
        creditorIban: "NL02ABNA0123456789",
        creditorBic: "ABNANL2A",
        remittanceInformation: "Restitutie premie na opzegging",
      },
    ],
    ...overrides,
  };
}
