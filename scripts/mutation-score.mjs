// Prints the mutation score per file from Stryker's JSON report (reports/mutation/mutation.json),
// as the last line of `npm run test:mutation`: the figure issue 17 asks for.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync("reports/mutation/mutation.json", "utf8"));
const parts = [];
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
  let killed = 0;
  let survived = 0;
  let uncovered = 0;
  for (const m of mutants) {
    if (m.status === "Killed" || m.status === "Timeout") killed++;
    else if (m.status === "Survived") survived++;
    else if (m.status === "NoCoverage") uncovered++;
  }
  const reached = killed + survived;
  const all = reached + uncovered;
  if (all === 0) continue;
  const pct = (n, d) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);
  parts.push(`${file.replace(/^src\//, "")} ${pct(killed, reached)} reached (${pct(killed, all)} all)`);
}
console.log(`mutation score per file: ${parts.join("; ")}`);
