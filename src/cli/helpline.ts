import type { Command } from "commander";
import { changeStatus, openCase, runAssistanceSweep } from "../assistance/index.ts";
import { giveRansomConsent } from "../flows/ransom-consent.ts";
import { ValidationError } from "../shared/errors.ts";
import { parseAmount } from "../shared/money.ts";
import { uuidArg } from "./args.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";

const out = (line: string) => process.stdout.write(`${line}\n`);

function instantArg(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(d.getTime()))
    throw new ValidationError([{ path: option, message: `must be an ISO 8601 instant (got "${value}")` }]);
  return d;
}

/** The helpline from the command line: a refused request prints one message and exits 2. */
export function registerHelpline(program: Command) {
  const helpline = program
    .command("helpline")
    .description("the 24/7 helpline: cases, ransom consent, the sweep");
  helpline
    .command("open")
    .description("register a contact: priority, due instants and entitlement are set at once")
    .requiredOption("--policy <id>", "the policy's id")
    .requiredOption("--category <code>", "extortion, identity_theft, hacking, defamation, …")
    .option("--channel <channel>", "phone, chat, portal or email", "phone")
    .option("--ongoing", "the attack is still going on (urgent)")
    .option("--opened-at <instant>", "when the contact began (default now)")
    .option("--note <text>", "what the caller said")
    .action(
      async (o: {
        policy: string;
        category: string;
        channel: string;
        ongoing?: boolean;
        openedAt?: string;
        note?: string;
      }) => {
        const policyId = uuidArg(o.policy, "--policy", "a policy id");
        const openedAt = instantArg(o.openedAt, "--opened-at");
        const db = await openCliDatabase();
        try {
          const row = await db.kysely.transaction().execute((tx) =>
            openCase(tx, cliCtx(), {
              policyId,
              channel: o.channel,
              category: o.category,
              ongoing: o.ongoing ?? false,
              openedAt,
              description: o.note ?? null,
              authorRole: "helpline_agent",
            }),
          );
          out(
            `${row.number} ${row.id} priority ${row.priority}, first response due ${row.first_response_due.toISOString()}, resolution due ${row.resolution_due.toISOString()}${row.entitled ? "" : `, not entitled (${row.entitlement_reason})`}`,
          );
        } finally {
          await db.close();
        }
      },
    );
  helpline
    .command("status")
    .description("move a case: in_progress, waiting_for_customer, resolved (reopen with --reason)")
    .argument("<case>", "the case's id")
    .argument("<status>", "the new status")
    .option("--reason <text>", "why (required to reopen)")
    .action(async (caseArg: string, status: string, o: { reason?: string }) => {
      const caseId = uuidArg(caseArg, "case", "a case id");
      const db = await openCliDatabase();
      try {
        const row = await db.kysely
          .transaction()
          .execute((tx) => changeStatus(tx, cliCtx(), { caseId, to: status, reason: o.reason ?? null }));
        out(`${row.number} is ${row.status}`);
      } finally {
        await db.close();
      }
    });
  helpline
    .command("consent")
    .description("give prior consent to pay a ransom, up to a maximum")
    .argument("<case>", "the case's id")
    .requiredOption("--max <amount>", "the maximum, e.g. 800.00")
    .requiredOption("--by <name>", "the staff member giving it")
    .action(async (caseArg: string, o: { max: string; by: string }) => {
      const caseId = uuidArg(caseArg, "case", "a case id");
      const maxCents = parseAmount(o.max, "--max");
      const db = await openCliDatabase();
      try {
        const c = await db.kysely
          .transaction()
          .execute((tx) => giveRansomConsent(tx, cliCtx(), { caseId, maxCents, givenByName: o.by }));
        out(`consent ${c.id} given on ${c.given_on} up to ${o.max}`);
      } finally {
        await db.close();
      }
    });
  helpline
    .command("sweep")
    .description("record missed targets and bring unanswered removal notices back (what the worker runs)")
    .action(async () => {
      const db = await openCliDatabase();
      try {
        out((await runAssistanceSweep(db.kysely, cliCtx())).summary);
      } finally {
        await db.close();
      }
    });
}
