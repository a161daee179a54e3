/** The parties module's public surface: code outside src/parties/ imports only from here. */
export { partyContact } from "./contact.ts";
export { erasePartyRow, lockParty } from "./erase.ts";
export { exportPersonalData } from "./gdpr-export.ts";
export {
  insertParty,
  livePartyContact,
  type NewParty,
  type PartyContact,
  partyByEmail,
  partyExists,
  setPartyLanguage,
} from "./store.ts";
