import type { FastifyRequest } from "fastify";
import { fromAcceptLanguage, type Language } from "../shared/i18n/index.ts";

/** The language the caller asked for with Accept-Language (nl, fr or en), or null to use the policyholder's. */
export function askedLanguage(request: FastifyRequest): Language | null {
  return fromAcceptLanguage(request.headers["accept-language"]);
}
