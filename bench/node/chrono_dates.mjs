// chrono-node's Japanese parser over text files, for bench/batch.py's side-by-side with
// kobun's dates. Prints one JSON object: {seconds, files: {name: [{text, start, end,
// precision}]}}. The reference date of each file is 2026-01-01 (chrono fills missing
// years from it; kobun uses the document's own context).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as chrono from "chrono-node";

const iso = (c) =>
  `${String(c.get("year")).padStart(4, "0")}-${String(c.get("month")).padStart(2, "0")}-${String(c.get("day")).padStart(2, "0")}`;
const precision = (c) => (c.isCertain("day") ? "day" : c.isCertain("month") ? "month" : "year");
const lastDay = (c) => {
  if (precision(c) === "day") return iso(c);
  const y = c.get("year");
  if (precision(c) === "year") return `${y}-12-31`;
  const m = c.get("month");
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
};
const firstDay = (c) => {
  const y = c.get("year");
  if (precision(c) === "year") return `${y}-01-01`;
  if (precision(c) === "month") return `${y}-${String(c.get("month")).padStart(2, "0")}-01`;
  return iso(c);
};

const files = {};
const start = process.hrtime.bigint();
for (const path of process.argv.slice(2)) {
  const text = readFileSync(path, "utf8");
  files[basename(path).replace(/\.[^.]*$/, "")] = chrono.ja
    .parse(text, new Date(Date.UTC(2026, 0, 1)))
    .map((r) => ({
      text: r.text,
      start: firstDay(r.start),
      end: r.end ? (precision(r.start) === "day" ? iso(r.end) : lastDay(r.end)) : lastDay(r.start),
      precision: precision(r.start),
    }));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, files }));
