import { z } from "zod";
import { invitePolicyholderLogin } from "../../flows/accounts.ts";
import {
  ALL_ROLES,
  accountStatus,
  changeRole,
  countUsers,
  disableUser,
  enableUser,
  findUser,
  inviteUser,
  listUsers,
  type Role,
  STAFF_ROLES,
  type UserRow,
} from "../../identity/index.ts";
import { NotFoundError } from "../../shared/errors.ts";
import { LANGUAGES } from "../../shared/i18n/index.ts";
import { askedLanguage } from "../language.ts";
import type { Router } from "../router.ts";
import { idParams, pageQuery } from "../schemas.ts";
import { linkSettings } from "./accounts.ts";

const staffRole = z.enum(STAFF_ROLES as [Role, ...Role[]]);

const accountView = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(ALL_ROLES as [Role, ...Role[]]),
    displayName: z.string(),
    partyId: z.string().nullable(),
    status: z.enum(["invited", "unverified", "active", "disabled"]),
    createdAt: z.string(),
    emailVerifiedAt: z.string().nullable(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: "Account" });

function viewAccount(u: UserRow): z.output<typeof accountView> {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    displayName: u.display_name,
    partyId: u.party_id,
    status: accountStatus(u),
    createdAt: u.created_at.toISOString(),
    emailVerifiedAt: u.email_verified_at?.toISOString() ?? null,
    disabledAt: u.disabled_at?.toISOString() ?? null,
  };
}

const empty = z.object({}).strict().nullish();

/** Admins manage logins: staff by invitation, disabling, roles; helpline agents invite policyholders. */
export function registerUserRoutes(r: Router) {
  const links = linkSettings(r);
  const { mailer } = r.deps;
  r.route({
    method: "GET",
    url: "/admin/users",
    summary: "Logins, oldest first; optionally of one role",
    tags: ["accounts"],
    roles: ["admin"],
    query: pageQuery.extend({
      role: z.enum(["policyholder", ...STAFF_ROLES] as [Role, ...Role[]]).optional(),
    }),
    response: z.object({ items: z.array(accountView), total: z.number().int() }),
    handler: async ({ tx, query }) => ({
      items: (await listUsers(tx, query)).map(viewAccount),
      total: await countUsers(tx, query.role),
    }),
  });

  r.route({
    method: "POST",
    url: "/admin/users",
    summary: "Invite a staff member: the login is created without a password and the invitation mailed",
    tags: ["accounts"],
    roles: ["admin"],
    idempotent: true,
    status: 201,
    body: z
      .object({
        email: z.email().max(254),
        role: staffRole,
        displayName: z.string().trim().min(1).max(200),
        language: z.enum(LANGUAGES).optional(),
      })
      .strict(),
    response: accountView,
    handler: async ({ tx, ctx, body, request, afterCommit }) => {
      const { user, mail } = await inviteUser(tx, ctx, {
        ...body,
        partyId: null,
        language: body.language ?? askedLanguage(request) ?? "nl",
        links,
      });
      if (mailer) afterCommit(() => mailer(mail));
      return viewAccount(user);
    },
  });

  r.route({
    method: "GET",
    url: "/admin/users/:id",
    summary: "One login",
    tags: ["accounts"],
    roles: ["admin"],
    params: idParams,
    response: accountView,
    handler: async ({ tx, params }) => {
      const user = await findUser(tx, params.id);
      if (!user) throw new NotFoundError("user", params.id);
      return viewAccount(user);
    },
  });

  const change = (url: string, summary: string, fn: typeof disableUser) =>
    r.route({
      method: "POST",
      url,
      summary,
      tags: ["accounts"],
      roles: ["admin"],
      params: idParams,
      body: empty,
      response: accountView,
      handler: async ({ tx, ctx, params, principal }) =>
        viewAccount(await fn(tx, ctx, { userId: params.id, by: principal.userId })),
    });
  change(
    "/admin/users/:id/disable",
    "Disable a login: its sessions end, its tokens are revoked, its mailed links stop working",
    disableUser,
  );
  change("/admin/users/:id/enable", "Enable a disabled login again (its tokens stay revoked)", enableUser);

  r.route({
    method: "POST",
    url: "/admin/users/:id/role",
    summary: "Change a staff login's role; it applies to its sessions and tokens within 1 s",
    tags: ["accounts"],
    roles: ["admin"],
    params: idParams,
    body: z.object({ role: staffRole }).strict(),
    response: accountView,
    handler: async ({ tx, ctx, params, body, principal }) =>
      viewAccount(await changeRole(tx, ctx, { userId: params.id, role: body.role, by: principal.userId })),
  });

  r.route({
    method: "POST",
    url: "/admin/parties/:id/login",
    summary:
      "Invite a household's login: created without a password, the invitation mailed in the household's language",
    tags: ["accounts"],
    roles: ["admin", "helpline_agent"],
    idempotent: true,
    status: 201,
    params: idParams,
    body: z
      .object({ email: z.email().max(254).optional() })
      .strict()
      .nullish(),
    response: accountView,
    handler: async ({ tx, ctx, params, body, afterCommit }) => {
      const { user, mail } = await invitePolicyholderLogin(tx, ctx, {
        partyId: params.id,
        email: body?.email ?? null,
        links,
      });
      if (mailer) afterCommit(() => mailer(mail));
      return viewAccount(user);
    },
  });
}
