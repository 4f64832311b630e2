// Validates docs/asyncapi.yaml with the AsyncAPI initiative's parser (the
// version pinned in package.json): the document must parse as AsyncAPI 3.0
// with no error. Warnings are printed. Run by scripts/check-contracts.sh.
import { readFileSync } from "node:fs";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const path = new URL("../docs/asyncapi.yaml", import.meta.url);
const { document, diagnostics } = await new Parser().parse(readFileSync(path, "utf8"), { source: path.pathname });
for (const d of diagnostics) {
  const level = d.severity === DiagnosticSeverity.Error ? "error" : "warning";
  console.log(`asyncapi ${level}: ${d.message} at ${d.path.join(".")}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
if (!document || errors.length > 0) {
  console.error(`docs/asyncapi.yaml: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`asyncapi: docs/asyncapi.yaml is valid AsyncAPI ${document.version()}: ` +
  `${document.channels().length} channel(s), ${document.messages().length} message(s)`);
