// check-api-types.mjs - fails when src/shared/api-types.ts is not what docs/openapi.json
// generates today (run `npm run gen:api` and commit the result).
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "bookd-api-types-"));
try {
	const out = join(dir, "api-types.ts");
	execFileSync(process.execPath, ["node_modules/openapi-typescript/bin/cli.js", "../docs/openapi.json", "-o", out], {
		stdio: ["ignore", "ignore", "inherit"],
	});
	const fresh = readFileSync(out, "utf8");
	const committed = readFileSync("src/shared/api-types.ts", "utf8");
	if (fresh !== committed) {
		console.error("web: src/shared/api-types.ts is stale: docs/openapi.json changed; run `npm run gen:api` in web/");
		process.exit(1);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
