import type { Role } from "../identity/index.ts";
import { AppError } from "../shared/errors.ts";
import type { Facts } from "./types.ts";

/**
 * Facts only the insurer establishes (issue 12): its own prior consent to pay a ransom, the
 * bank's answer on a reimbursement, and fraud. A policyholder (or an adviser acting for one)
 * cannot set them on a claim; staff can, and `claim_facts` keeps who supplied each set of facts.
 */
export const INSURER_FACTS: readonly string[] = ["ransomConsent", "bankReimbursed", "fraud"];

/** The roles that speak for the insurer. */
const INSURER_ROLES: readonly Role[] = ["helpline_agent", "helpline_supervisor", "claims_handler", "admin"];

export function checkFactAuthor(role: Role, facts: Facts): void {
  if (INSURER_ROLES.includes(role)) return;
  const refused = Object.keys(facts).filter((f) => INSURER_FACTS.includes(f));
  if (refused.length > 0)
    throw new AppError(
      "insurer_fact",
      `only the insurer establishes ${refused.join(", ")}`,
      refused.map((f) => ({ path: `facts.${f}`, message: "established by the insurer only" })),
    );
}
