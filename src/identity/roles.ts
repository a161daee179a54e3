export const ROLES = [
  "policyholder",
  "helpline_agent",
  // sees the helpline's escalations (breached targets) and gives ransom consent (issue 12)
  "helpline_supervisor",
  "claims_handler",
  "finance",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = [
  "helpline_agent",
  "helpline_supervisor",
  "claims_handler",
  "finance",
  "admin",
];
export const ALL_ROLES: readonly Role[] = ROLES;

export function isStaff(role: Role): boolean {
  return role !== "policyholder";
}
