/** The jobs module's public surface: code outside src/jobs/ imports only from here. */
export { bankDir } from "./env.ts";
export type { JobsTables } from "./tables.ts";
export { JOBS, type Job } from "./tasks.ts";
