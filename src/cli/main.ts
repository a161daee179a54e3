import { Command, CommanderError } from "commander";
import { isAppError } from "../shared/errors.ts";
import { registerConformance } from "./conformance.ts";

const program = new Command()
  .name("cyberpolis")
  .description("cyberpolis: consumer cyber insurance, end to end")
  .showHelpAfterError()
  .exitOverride();

registerConformance(program);
(await import("./serve.ts")).registerServe(program);
(await import("./billing.ts")).registerBilling(program);
(await import("./ledger.ts")).registerLedger(program);
(await import("./bank.ts")).registerBank(program);
(await import("./payments.ts")).registerPayments(program);
(await import("./db.ts")).registerDb(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else if (isAppError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
