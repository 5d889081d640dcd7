/**
 * Types every operation in src/operations/*.graphql from the committed supergraph (GraphQL Code
 * Generator's client preset) and writes the persisted-operations manifest the gateway runs them
 * from: src/generated/. `--check` writes nothing and fails when what is committed is stale.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { codegen } from "@graphql-codegen/core";
import { preset } from "@graphql-codegen/client-preset";
import { buildSchema, parse, printSchema } from "graphql";

const APP = path.dirname(fileURLToPath(import.meta.url));
const SUPERGRAPH = path.join(APP, "../schema/supergraph.graphql");
const OPERATIONS = path.join(APP, "src/operations");
export const GENERATED = path.join(APP, "src/generated");

/** A persisted operation's id: the SHA-256 of its exact text in hex, as the hub computes it. */
const documentId = (document: string) => createHash("sha256").update(document).digest("hex");

/** The generated files by name, as they should read. */
export async function generatedFiles(): Promise<Map<string, string>> {
  // The supergraph's join__ directives describe routing, not the API; they change no client type.
  const schemaAst = buildSchema(readFileSync(SUPERGRAPH, "utf8"), { assumeValidSDL: true });
  const documents = readdirSync(OPERATIONS)
    .filter((file) => file.endsWith(".graphql"))
    .sort()
    .map((file) => {
      const rawSDL = readFileSync(path.join(OPERATIONS, file), "utf8");
      return { location: `src/operations/${file}`, rawSDL, document: parse(rawSDL) };
    });
  const sections = await preset.buildGeneratesSection({
    baseOutputDir: "src/generated/",
    schema: parse(printSchema(schemaAst)),
    schemaAst,
    documents,
    plugins: [],
    pluginMap: {},
    config: { documentMode: "string", enumsAsTypes: true, useTypeImports: true, scalars: { DateTimeISO: "string" } },
    presetConfig: {
      fragmentMasking: false,
      // The app sends only an operation's id; its text lives in the manifest the gateway reads.
      persistedDocuments: { mode: "replaceDocumentWithHash", hashAlgorithm: documentId },
    },
  });
  const files = new Map<string, string>();
  for (const section of sections) files.set(path.basename(section.filename), await codegen(section));
  return files;
}

async function main() {
  const files = await generatedFiles();
  if (process.argv.includes("--check")) {
    const stale = [...files].filter(
      ([name, content]) =>
        !existsSync(path.join(GENERATED, name)) || readFileSync(path.join(GENERATED, name), "utf8") !== content,
    );
    const extra = existsSync(GENERATED) ? readdirSync(GENERATED).filter((name) => !files.has(name)) : [];
    if (stale.length + extra.length > 0) {
      console.error(
        `app/src/generated is stale (${[...stale.map(([name]) => name), ...extra].join(", ")}): run npm run codegen -w app and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`app/src/generated is up to date (${files.size} files).`);
    return;
  }
  rmSync(GENERATED, { recursive: true, force: true });
  mkdirSync(GENERATED, { recursive: true });
  for (const [name, content] of files) writeFileSync(path.join(GENERATED, name), content);
  console.log(`Wrote ${files.size} files to app/src/generated.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
