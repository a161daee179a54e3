/**
 * The documents module's public surface (issue 13): the IPID from product data, the stored
 * letters and schedules, the e-mail outbox and its two sweeps.
 */
export { bounceDelivery } from "./bounce.ts";
export { collectDocuments } from "./collect.ts";
export { eraseDocumentsPartyData } from "./erase.ts";
export { fonts } from "./fonts.ts";
export { IPID_HEADINGS, ipidContent, ipidLanguages, renderIpid } from "./ipid.ts";
export { type DeliveryStatus, DOCUMENT_KINDS, type DocContent, type DocumentKind } from "./model.ts";
export { renderDocument } from "./render.ts";
export { scheduleContent } from "./schedule.ts";
export { currentSchedulePdf } from "./schedule-file.ts";
export { type MailConfig, mailConfigFromEnv, sendDocuments } from "./send.ts";
export {
  type DeliveryRow,
  type DocumentMeta,
  deliveriesOf,
  documentMeta,
  documentsForExport,
  documentsOfPolicy,
  documentWithPdf,
} from "./store.ts";
export type { DocumentsTables } from "./tables.ts";
