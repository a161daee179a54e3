import type { Command } from "commander";
import { z } from "zod";
import { createUser, passwordProblem, ROLES, type Role, STAFF_ROLES } from "../identity/index.ts";
import { ValidationError } from "../shared/errors.ts";
import { cliCtx, openCliDatabase } from "./billing.ts";

/**
 * `users create`: a staff login with a password, above all the first admin of a new database
 * (nobody can log in to invite one). The password comes from standard input or a prompt, never
 * an argument: arguments are visible to every user of the machine (ps) and stay in shell history.
 */

function refuse(path: string, message: string): never {
  throw new ValidationError([{ path, message }]);
}

/** The first line of standard input when it is piped; a hidden prompt on a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  const first = await prompt("password: ");
  const second = await prompt("password again: ");
  if (first !== second) refuse("password", "the two passwords differ");
  return first;
}

/** Reads one line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let typed = "";
    const onData = (data: Buffer) => {
      for (const ch of data.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          resolve(typed);
          return;
        }
        if (ch === "\u0003") process.exit(130);
        if (ch === "\u007f") typed = [...typed].slice(0, -1).join("");
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

export function registerUsers(program: Command) {
  const users = program.command("users").description("logins");
  users
    .command("create")
    .description(
      "create a staff login (the first admin); the password is read from standard input or a prompt",
    )
    .requiredOption("--email <address>", "the login's e-mail address")
    .requiredOption("--role <role>", `one of ${STAFF_ROLES.join(", ")}`)
    .option("--name <name>", "the name shown in the audit log and the portal (default: the address)")
    .action(async (opts: { email: string; role: string; name?: string }) => {
      const email = opts.email.trim().toLowerCase();
      if (!z.email().safeParse(email).success)
        refuse("--email", `is not an e-mail address (got "${opts.email}")`);
      if (!(ROLES as readonly string[]).includes(opts.role) || !STAFF_ROLES.includes(opts.role as Role))
        refuse(
          "--role",
          `must be one of ${STAFF_ROLES.join(", ")} (got "${opts.role}"); policyholders are invited from the API`,
        );
      const password = await readPassword();
      if (password === "") refuse("password", "none given on standard input");
      const problem = passwordProblem(password, email);
      if (problem) refuse("password", problem);
      const db = await openCliDatabase();
      try {
        const user = await db.kysely.transaction().execute((tx) =>
          createUser(tx, cliCtx(), {
            email,
            password,
            role: opts.role as Role,
            displayName: opts.name?.trim() || email,
          }),
        );
        process.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
      } finally {
        await db.close();
      }
    });
}
