import {
  changeStatus,
  moveRemoval,
  openCase,
  requestRemoval,
  respond,
  sweepAssistance,
  takeRiskTool,
} from "../assistance/index.ts";
import type { Tx } from "../db/schema.ts";
import { giveRansomConsent } from "../flows/ransom-consent.ts";
import { riskQuestionnaireOf } from "../products/index.ts";
import type { Ctx } from "../shared/context.ts";

const MIN = 60_000;

/**
 * The helpline's demo, through its services: cases in every status, one at risk and one
 * breached (recorded by the sweep itself), a ransom consent, a content-removal item with its
 * notice sent, a case without entitlement, and a household's risk-tool results over time.
 */
export async function seedHelplineDemo(
  tx: Tx,
  ctx: Ctx,
  p: {
    anna: { id: string; party_id: string };
    jansen: { id: string };
    sophie: { id: string };
    mark: { id: string };
    lotte: { id: string };
  },
) {
  const at = (minutesAgo: number, actor = "user:demo-helpline"): Ctx => ({
    ...ctx,
    actor,
    now: new Date(ctx.now.getTime() - minutesAgo * MIN),
  });
  const open = (
    policyId: string,
    minutesAgo: number,
    category: string,
    description: string,
    ongoing = false,
  ) =>
    openCase(tx, at(minutesAgo), {
      policyId,
      openedAt: at(minutesAgo).now,
      channel: "phone",
      category,
      ongoing,
      helpKinds: ["technical"],
      description,
      authorRole: "helpline_agent",
    });
  const agent = "helpline_agent";

  // Anna, right now: her laptop is locked and money is asked for; 12 of 15 minutes gone.
  await open(p.anna.id, 12, "extortion", "Scherm vergrendeld, er wordt losgeld gevraagd.", true);
  // Pieter: a hacked mail account reported 5 hours ago, nobody answered yet: breached.
  await open(p.jansen.id, 300, "hacking", "Mijn e-mailaccount verstuurt berichten die ik niet schreef.");
  // Pieter, three days ago: extortion, answered, a ransom consented to, resolved.
  const ext = await open(p.jansen.id, 3 * 24 * 60, "extortion", "Afpersing met gestolen foto's.", true);
  await respond(tx, at(3 * 24 * 60 - 10), {
    caseId: ext.id,
    body: "We bellen u direct terug.",
    authorRole: agent,
  });
  await giveRansomConsent(tx, at(3 * 24 * 60 - 60, "user:demo-supervisor"), {
    caseId: ext.id,
    maxCents: 100_000,
    givenByName: "Sven Toezicht",
  });
  await changeStatus(tx, at(2 * 24 * 60), { caseId: ext.id, to: "resolved" });
  // Sophie (fr): defamation, a takedown notice sent to the platform.
  const def = await open(
    p.sophie.id,
    2 * 24 * 60,
    "defamation",
    "Des faux avis sur moi sur un réseau social.",
  );
  await respond(tx, at(2 * 24 * 60 - 30), {
    caseId: def.id,
    body: "Nous préparons la notification.",
    authorRole: agent,
  });
  const item = await requestRemoval(tx, at(2 * 24 * 60 - 40), {
    caseId: def.id,
    platform: "ExampleSocial",
    url: "https://social.example/posts/4711",
    contentType: "text",
    ground: "defamation",
    explanation: "Le message m'accuse faussement de fraude.",
  });
  await moveRemoval(tx, at(2 * 24 * 60 - 45), { removalId: item.id, to: "notice_sent" });
  // Mark: cyberbullying, waiting for screenshots from him.
  const bully = await open(p.mark.id, 6 * 60, "cyberbullying", "Mijn zoon wordt online gepest.");
  await respond(tx, at(6 * 60 - 20), {
    caseId: bully.id,
    body: "Kunt u schermafbeeldingen sturen?",
    authorRole: agent,
  });
  await changeStatus(tx, at(6 * 60 - 25), { caseId: bully.id, to: "waiting_for_customer" });
  // Lotte, after her cancellation: still answered, advice only.
  await open(p.lotte.id, 30, "suspicious_activity", "Een vreemde sms over mijn bank.");

  // Anna's risk tool, three times: she improves.
  const q = riskQuestionnaireOf(1);
  const pick = (good: number) =>
    Object.fromEntries(
      q.questions.map((x, i) => [
        x.id,
        i < good
          ? x.options[0]!.id
          : x.options.at(-1)!.notApplicable
            ? x.options.at(-2)!.id
            : x.options.at(-1)!.id,
      ]),
    );
  for (const [daysAgo, good] of [
    [120, 4],
    [60, 9],
    [5, 14],
  ] as const) {
    await takeRiskTool(
      tx,
      { ...at(daysAgo * 24 * 60), actor: "demo" },
      { partyId: p.anna.party_id, version: 1, answers: pick(good) },
    );
  }
  // The sweep records the breach as the worker would.
  await sweepAssistance(tx, { ...ctx, actor: "system" });
}
