import { resolve } from "node:path";
import type { Report } from "../flows/finance/reports.ts";
import { type Published, publishedServer } from "../server/local-cli.ts";

/**
 * A finance command on the embedded database while `npm start` owns it: the command is done by
 * that server through its finance API (src/server/local-cli.ts), so nothing is written to a copy
 * the server never sees. With DATABASE_URL the CLI opens the database itself, as several
 * processes may.
 */
export function owningServer(env: NodeJS.ProcessEnv = process.env): Published | null {
  if (env.DATABASE_URL) return null;
  return publishedServer(resolve(env.DATA_DIR || "./data"));
}

/** The server refused the request (bad input, a conflict): a plain message, exit 2, as locally. */
export class RemoteRefusal extends Error {}

export async function callServer(
  server: Published,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<Report> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await res.json().catch(() => null)) as
    | (Report & { detail?: string; errors?: { path: string; message: string }[] })
    | null;
  if (res.status >= 400 && res.status < 500) {
    const issues = answer?.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new RemoteRefusal(`${answer?.detail ?? `refused (${res.status})`}${issues ? ` (${issues})` : ""}`);
  }
  if (!res.ok || !answer || !Array.isArray(answer.lines)) {
    throw new Error(`the server at ${server.url} answered ${res.status}: ${answer?.detail ?? "no report"}`);
  }
  return answer;
}

/** `--json`: one object on stdout, `{ok, lines, data}`, for scripts; the exit code is the same. */
export function wantsJson(options: { json?: boolean }): boolean {
  return options.json === true;
}

export function printReport(r: Report, opts: { via?: Published | null; json?: boolean } = {}): void {
  if (opts.via)
    process.stderr.write(`(done by the server at ${opts.via.url}, which owns the embedded database)\n`);
  if (opts.json)
    process.stdout.write(`${JSON.stringify({ ok: !r.attention, lines: r.lines, data: r.data ?? null })}\n`);
  else for (const line of r.lines) process.stdout.write(`${line}\n`);
  if (r.attention) process.exitCode = 1;
}

export const JSON_OPTION = [
  "--json",
  "print the result as one JSON object ({ok, lines, data}; money in cents)",
] as const;
