// Lists the surviving and uncovered mutants of the last Stryker run (reports/mutation/mutation.json),
// one a line, for test/mutation-notes.md.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync("reports/mutation/mutation.json", "utf8"));
for (const [file, { mutants, source }] of Object.entries(report.files).sort()) {
  const lines = source.split("\n");
  for (const m of mutants) {
    if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
    const { line, column } = m.location.start;
    const original = lines[line - 1]?.trim().slice(0, 110);
    console.log(
      `${file}:${line}:${column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement)} | ${original}`,
    );
  }
}
