import type { Command } from "commander";
import { openDatabase } from "../db/connection.ts";
import { migrate } from "../db/migrate.ts";
import { migratedTemplateDir, openEmbedded } from "../db/template.ts";

export function registerDb(program: Command) {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply the forward-only migrations to DATABASE_URL, or to the embedded database in DATA_DIR")
    .action(async () => {
      const url = process.env.DATABASE_URL;
      const handle = url
        ? await openDatabase({ url })
        : await openEmbedded({ dataDir: `${process.env.DATA_DIR || "./data"}/pglite` });
      try {
        const { applied } = await migrate(handle);
        process.stdout.write(applied.length > 0 ? `applied: ${applied.join(", ")}\n` : "up to date\n");
      } finally {
        await handle.close();
      }
    });
  db.command("template")
    .description(
      "build the cached, migrated template every new embedded database starts from (run by npm install)",
    )
    .option("--quiet", "never fail: a missing template only makes the first start slower")
    .action(async (opts: { quiet?: boolean }) => {
      try {
        await migratedTemplateDir();
      } catch (e) {
        if (!opts.quiet) throw e;
        process.stderr.write(
          `cyberpolis: template not prepared (${(e as Error).message}); first start will be slower\n`,
        );
      }
    });
}
