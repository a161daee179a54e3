import type { DirectDebitTransaction } from "../../bank/index.ts";
import { ValidationError } from "../../shared/errors.ts";
import { type FileHeader, renderTransactions, splitTransactions } from "./pain008-sql/pain008-stream.ts";
import type { TransactionTemplates } from "./pain008-sql/pain008-template.ts";

/**
 * A page of debits as the writer renders them: in one piece when it accepts them all, else each on
 * its own, so one it refuses (with the writer's reasons, field by field) doesn't take the others.
 */
export function renderOrRefuse(
  batch: { header: FileHeader; templates: TransactionTemplates },
  page: DirectDebitTransaction[],
): ({ xml: string; reason?: never } | { xml: null; reason: string })[] {
  const render = (txs: DirectDebitTransaction[]) =>
    splitTransactions(batch.templates.renderPage(txs) ?? renderTransactions(batch.header, txs), txs.length);
  try {
    return render(page).map((xml) => ({ xml }));
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
  }
  return page.map((t) => {
    try {
      return { xml: render([t])[0]! };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // renderTransactions names the field `invoice <reference> <field>`; the row names the invoice.
      const reason = e.issues
        .map((i) => `${i.path.replace(/^invoice \S+ ?/, "") || "debit"}: ${i.message}`)
        .join("; ");
      return { xml: null, reason };
    }
  });
}
