/**
 * pino redaction: credentials and personal data never reach the logs, whatever logs them.
 * Fastify logs request metadata, not bodies, but errors and handlers may log objects that do.
 */
export const LOG_REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "iban",
  "*.iban",
  "*.*.iban",
  "email",
  "*.email",
  "*.*.email",
  "phone",
  "*.phone",
  "*.birthDate",
  "*.birth_date",
  "*.accountHolder",
  "*.account_holder",
];
