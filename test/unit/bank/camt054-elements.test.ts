import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BankFileError, camt054ElementIssues, pain002ElementIssues } from "../../../src/bank/index.ts";
import { fixture } from "./support.ts";

/** Item 7: without an XSD, a bank file may carry only the elements its version defines, per parent. */
const v08 = fixture("camt054-credit-and-return.xml");
const v02 = fixture("camt054-v02-return.xml");
const withNamespace = (xml: string, version: string) =>
  xml.replace(/xmlns="[^"]*"/, `xmlns="urn:iso:std:iso:20022:tech:xsd:${version}"`);
const messages = (xml: string) => camt054ElementIssues(xml).map((i) => `${i.path}: ${i.message}`);

describe("camt054ElementIssues", () => {
  it("passes the bank notifications of both versions", () => {
    expect(camt054ElementIssues(v08)).toEqual([]);
    expect(camt054ElementIssues(v02)).toEqual([]);
  });

  it("refuses an unknown element, naming it and where it stands", () => {
    expect(messages(v08.replace("<NtryRef>", "<Evil>1</Evil><NtryRef>"))).toEqual([
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].Evil: <Evil> is not an element of <Ntry> (camt.054.001.08)",
    ]);
  });

  it("refuses one version's elements under the other's namespace, and says so", () => {
    for (const [xml, said, is] of [
      [withNamespace(v08, "camt.054.001.02"), "camt.054.001.02", "camt.054.001.08"],
      [withNamespace(v02, "camt.054.001.08"), "camt.054.001.08", "camt.054.001.02"],
    ] as const) {
      const [first, ...rest] = messages(xml);
      expect(first).toBe(`Document: the namespace says ${said} but the elements are those of ${is}`);
      expect(rest.length).toBeGreaterThan(0);
    }
    expect(messages(withNamespace(v08, "camt.054.001.02"))).toContain(
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].Sts: <Sts> holds a value; it cannot contain <Cd> (camt.054.001.02)",
    );
  });

  it("refuses foreign namespaces, stray attributes and text, repeats, a missing currency", () => {
    const xml = v08
      .replace("<GrpHdr>", '<GrpHdr><x:MsgId xmlns:x="urn:example"/>')
      .replace("<MsgId>CAMT054", '<MsgId a="1">CAMT054')
      .replace("<Cd>BOOK</Cd>", "<Cd>BOOK</Cd>junk")
      .replace("<AcctSvcrRef>BANKREF-000111</AcctSvcrRef>", "$&$&")
      .replace('<Amt Ccy="EUR">32.50</Amt>', "<Amt>32.50</Amt>");
    expect(messages(xml).map((m) => m.replace(/ \(camt.054.001.08\)$/, ""))).toEqual([
      "Document.BkToCstmrDbtCdtNtfctn.GrpHdr.x:MsgId: <x:MsgId> is not in the document's namespace",
      "Document.BkToCstmrDbtCdtNtfctn.GrpHdr.MsgId: <MsgId> has an attribute a that is not allowed",
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].Amt: <Amt> needs its currency (Ccy attribute)",
      'Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].Sts: <Sts> holds elements, not the text "junk"',
      "Document.BkToCstmrDbtCdtNtfctn.Ntfctn[0].Ntry[0].AcctSvcrRef: <AcctSvcrRef> occurs 2 times in <Ntry>, at most once",
    ]);
  });

  it("refuses names the XML parser reserves with a bank-file error, not a crash", () => {
    const xml = v08.replace("<NtryRef>", "<constructor>1</constructor><NtryRef>");
    expect(() => camt054ElementIssues(xml)).toThrow(BankFileError);
  });

  it("refuses an element of any unknown name inserted anywhere", () => {
    // Before any tag inside the message element: as a sibling of an element, or inside one.
    const places = (xml: string) => {
      const from = xml.indexOf("<BkToCstmrDbtCdtNtfctn>") + 1;
      return [...xml.slice(from, xml.lastIndexOf("</Document>") + 1).matchAll(/<(?!!)/g)].map((m) => ({
        xml,
        at: from + m.index,
      }));
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...places(v08), ...places(v02)),
        fc.stringMatching(/^[A-Z][a-zA-Z]{0,10}$/),
        ({ xml, at }, name) => {
          // No ISO 20022 element starts with "Zz".
          const stranger = `Zz${name}`;
          const bad = `${xml.slice(0, at)}<${stranger}>1</${stranger}>${xml.slice(at)}`;
          expect(messages(bad).join("\n")).toContain(`<${stranger}>`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("pain002ElementIssues", () => {
  it("passes the EPC and the ISO fixture, refuses an element pain.002.001.10 doesn't define", () => {
    expect(pain002ElementIssues(fixture("pain002-epc-rejects.xml"))).toEqual([]);
    const iso = fixture("pain002-mixed-status.xml");
    expect(pain002ElementIssues(iso)).toEqual([]);
    const evil = iso.replace("<p:TxSts>ACCP</p:TxSts>", "$&<p:Evil>1</p:Evil>");
    expect(pain002ElementIssues(evil)).toEqual([
      {
        path: "Document.CstmrPmtStsRpt.OrgnlPmtInfAndSts[0].TxInfAndSts[0].Evil",
        message: "<Evil> is not an element of <TxInfAndSts> (pain.002.001.10)",
      },
    ]);
  });
});
