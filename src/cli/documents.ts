import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { bounceDelivery, currentSchedulePdf, fonts, ipidLanguages, renderIpid } from "../documents/index.ts";
import { defaultCatalog } from "../products/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { isLanguage } from "../shared/i18n/index.ts";
import { outputFile } from "./args.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";

function versionArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,4}$/.test(value)) {
    throw new ValidationError([
      { path: "--version", message: `must be a version number such as 1 (got "${value}")` },
    ]);
  }
  return Number(value);
}

/** `cyberpolis documents ipid|schedule`: a product's IPID or a policy's schedule as a PDF file. */
export function registerDocuments(program: Command) {
  const documents = program
    .command("documents")
    .description("product information documents and policy schedules as PDF");
  documents
    .command("ipid <product>")
    .description("the IPID / Verzekeringskaart of a product version (default: the latest)")
    .option("--version <V>", "product version")
    .option("--lang <nl|fr|en>", "language (default: the product's default)")
    .requiredOption("--out <file>", "the PDF file to write")
    .action(async (code: string, options: { version?: string; lang?: string; out: string }) => {
      const version = versionArg(options.version);
      if (options.lang !== undefined && !isLanguage(options.lang)) {
        throw new ValidationError([
          { path: "--lang", message: `must be nl, fr or en (got "${options.lang}")` },
        ]);
      }
      const product = defaultCatalog().get(code, version);
      const lang =
        options.lang ??
        (ipidLanguages(product).includes(product.languages.default) ? product.languages.default : "nl");
      const file = await outputFile(options.out, "--out");
      await writeFile(file, await renderIpid(product, lang, fonts()));
      process.stdout.write(`${file}: IPID ${product.code} v${product.version} (${lang})\n`);
    });
  documents
    .command("schedule <policy>")
    .description(
      "the policy schedule (polisblad) of a policy's current version; <policy> is its id or number",
    )
    .requiredOption("--out <file>", "the PDF file to write")
    .action(async (policy: string, options: { out: string }) => {
      const file = await outputFile(options.out, "--out");
      const db = await openCliDatabase();
      try {
        await writeFile(file, await currentSchedulePdf(db.kysely, cliCtx(), policy));
        process.stdout.write(`${file}: schedule of policy ${policy}\n`);
      } finally {
        await db.close();
      }
    });
  documents
    .command("bounce <message-id>")
    .description("record a bounce reported for a sent letter: its delivery shows as refused, with the reason")
    .requiredOption("--reason <text>", "what the bounce says")
    .action(async (messageId: string, options: { reason: string }) => {
      const db = await openCliDatabase();
      try {
        await db.kysely
          .transaction()
          .execute((tx) => bounceDelivery(tx, cliCtx(), { messageId, reason: options.reason }));
        process.stdout.write(`bounce recorded for ${messageId}\n`);
      } finally {
        await db.close();
      }
    });
}
