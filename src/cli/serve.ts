import type { Command } from "commander";
import { loadServerConfig, openFor } from "../server/config.ts";

export function registerServe(program: Command) {
  program
    .command("serve")
    .description(
      "start the API (/api), docs (/docs), OpenAPI (/openapi.json) and /health; see README for settings",
    )
    .action(async () => {
      const config = loadServerConfig();
      // PGlite's start-up (WASM compile, data dir load) overlaps with loading the HTTP stack,
      // which keeps a restart on the embedded database within the 3 s budget.
      const opening = openFor(config);
      // Awaited by startServer; this only keeps an early failure from counting as unhandled.
      opening.catch(() => {});
      const { banner, startServer } = await import("../server/start.ts");
      const running = await startServer(config, opening);
      const ready = Math.round(process.uptime() * 1000);
      // On stderr: stdout carries only the JSON log lines, for whatever collects them.
      process.stderr.write(`${banner(running, config)}\n  ready ${ready} ms after process start\n`);
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
