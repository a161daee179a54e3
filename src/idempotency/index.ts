export {
  claimKey,
  eraseIdempotencyPartyData,
  IDEMPOTENCY_HEADER,
  purgeIdempotencyKeys,
  type StoredResponse,
  storeResponse,
} from "./store.ts";
