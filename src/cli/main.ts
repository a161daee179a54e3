import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { isAppError } from "../shared/errors.ts";
import { repoPath } from "../shared/paths.ts";
import { registerConformance } from "./conformance.ts";
import { RemoteRefusal } from "./remote.ts";

/**
 * Exit codes (README "CLI"): 0 done; 1 the check or run found a problem (conformance, ledger check,
 * an export that left payouts waiting); 2 bad input or a refusal, nothing changed; 70 internal error.
 */
const version = (JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as { version: string }).version;

const program = new Command()
  .name("cyberpolis")
  .description("cyberpolis: consumer cyber insurance, end to end")
  .version(version)
  // `documents ipid --version V` is the product's version: the program's own --version only
  // counts before the command.
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride();

// Each command's module (and what it pulls in: Fastify, the bank writers…) is only loaded when
// that command runs, so `billing run` doesn't pay for the HTTP server's start-up.
const commands: Record<string, () => Promise<void>> = {
  conformance: async () => registerConformance(program),
  serve: async () => (await import("./serve.ts")).registerServe(program),
  billing: async () => {
    (await import("./billing.ts")).registerBilling(program);
    // `billing dunning`, `billing pay` and `billing charges` hang off the billing command from the
    // bank module, which `billing run` (and its workers) don't need to load.
    if (!["run", "worker"].includes(process.argv[3] ?? "")) (await import("./bank.ts")).registerBank(program);
  },
  ledger: async () => (await import("./ledger.ts")).registerLedger(program),
  bank: async () => (await import("./bank.ts")).registerBank(program),
  payments: async () => (await import("./payments.ts")).registerPayments(program),
  db: async () => (await import("./db.ts")).registerDb(program),
  users: async () => (await import("./users.ts")).registerUsers(program),
  worker: async () => (await import("./worker.ts")).registerWorker(program),
  documents: async () => (await import("./documents.ts")).registerDocuments(program),
  helpline: async () => (await import("./helpline.ts")).registerHelpline(program),
};
const invoked = process.argv[2];
if (invoked !== undefined && invoked in commands) {
  await commands[invoked]!();
} else {
  registerConformance(program);
  for (const name of [
    "serve",
    "billing",
    "ledger",
    "payments",
    "db",
    "users",
    "worker",
    "documents",
    "helpline",
  ])
    await commands[name]!();
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and --version end with 0; a mistyped command or option is bad input (2), as elsewhere.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (isAppError(e) || e instanceof RemoteRefusal) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else if (unreachable(e)) {
    // Not a bug of ours: one line that says what to check, never a stack trace.
    process.stderr.write(
      `error: cannot reach the database (${unreachable(e)}); check DATABASE_URL and that the server runs\n`,
    );
    process.exitCode = 70;
  } else {
    process.stderr.write(`unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}

/** The connection failure behind an error (also inside an AggregateError), or null. */
function unreachable(e: unknown): string | null {
  const codes = ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"];
  const parts = e instanceof AggregateError ? [e, ...e.errors] : [e];
  for (const part of parts) {
    const { code, message } = (part ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === "string" && codes.includes(code)) return typeof message === "string" ? message : code;
  }
  return null;
}
