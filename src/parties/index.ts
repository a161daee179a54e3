/** The parties module's public surface: code outside src/parties/ imports only from here. */
export { erasePartyRow, lockParty } from "./erase.ts";
export { exportPersonalData } from "./gdpr-export.ts";
export { insertParty, type NewParty, setPartyLanguage } from "./store.ts";
