/**
 * The compiled build: every workspace's `src/**.ts` becomes `dist/**.js` beside it (same depth, so
 * paths relative to a module, like the gateway's supergraph, hold in both). Processes run node on
 * dist; package.json `exports` send the `@rhizome/source` condition (TypeScript, vitest, tsx) to
 * src and everything else to dist.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./repo-paths.js";

export const SOURCE_DIR = "src";
export const OUTPUT_DIR = "dist";

/** A workspace Vite builds for the browser (the member app): tsc neither checks nor compiles it with the rest. */
const VITE_CONFIG = "vite.config.ts";
export const APP_FOLDER = "app";

/** The workspace folders (services/*, gateway, infra, ...) named by the root package.json, the browser app aside. */
export function workspaceFolders(root = REPO_ROOT): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { workspaces?: string[] };
  return (manifest.workspaces ?? [])
    .map((workspace) => path.join(root, workspace))
    .filter((folder) => existsSync(path.join(folder, SOURCE_DIR)) && !existsSync(path.join(folder, VITE_CONFIG)));
}

function filesUnder(folder: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter(keep);
}

const isSource = (file: string) => file.endsWith(".ts") && !file.endsWith(".d.ts");

/** Every TypeScript file the build compiles. */
export function sourceFiles(root = REPO_ROOT): string[] {
  return workspaceFolders(root).flatMap((folder) => filesUnder(path.join(folder, SOURCE_DIR), isSource));
}

/** `<workspace>/src/a/b.ts` → `<workspace>/dist/a/b.js`. */
export function outputOf(sourceFile: string, extension = ".js"): string {
  const parts = sourceFile.split(path.sep);
  const at = parts.lastIndexOf(SOURCE_DIR);
  if (at < 0) throw new Error(`${sourceFile} is not under a ${SOURCE_DIR}/ folder`);
  parts[at] = OUTPUT_DIR;
  return parts.join(path.sep).replace(/\.ts$/, extension);
}

/** Source files whose JavaScript is missing or older than they are. */
export function staleSources(root = REPO_ROOT): string[] {
  return sourceFiles(root).filter((file) => {
    const output = outputOf(file);
    return !existsSync(output) || statSync(output).mtimeMs < statSync(file).mtimeMs;
  });
}

/** Compiled files whose source is gone (a module was removed or renamed). */
function orphanOutputs(root: string): string[] {
  const sources = new Set(sourceFiles(root).map((file) => outputOf(file)));
  return workspaceFolders(root).flatMap((folder) =>
    filesUnder(path.join(folder, OUTPUT_DIR), (file) => file.endsWith(".js") && !sources.has(file)),
  );
}

async function loadCompilerOptions(root: string) {
  const ts = (await import("typescript")).default;
  const configPath = path.join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    root,
    { noEmit: false, sourceMap: true, declaration: false },
    configPath,
  );
  return { ts, parsed };
}

/** Files the app's build reads: its sources, page, public files and Vite configuration. */
function appInputs(root: string): string[] {
  const app = path.join(root, APP_FOLDER);
  return [
    ...filesUnder(path.join(app, SOURCE_DIR), () => true),
    ...filesUnder(path.join(app, "public"), () => true),
    path.join(app, "index.html"),
    path.join(app, VITE_CONFIG),
  ].filter((file) => existsSync(file));
}

/** Whether app/dist is missing or older than anything it is built from (false where the app's sources are absent, as in the image). */
export function appIsStale(root = REPO_ROOT): boolean {
  const inputs = appInputs(root);
  if (!existsSync(path.join(root, APP_FOLDER, VITE_CONFIG))) return false;
  const page = path.join(root, APP_FOLDER, OUTPUT_DIR, "index.html");
  if (!existsSync(page)) return true;
  const builtAtMs = statSync(page).mtimeMs;
  return inputs.some((file) => statSync(file).mtimeMs > builtAtMs);
}

/** Type-checks the member app with its own settings (browser, JSX); returns tsc's report, empty when clean. */
export async function typeCheckApp(root = REPO_ROOT): Promise<string> {
  const ts = (await import("typescript")).default;
  const configPath = path.join(root, APP_FOLDER, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath), undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  return diagnostics.length > 0 ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : "";
}

/** Builds the member app into app/dist with Vite (the gateway serves it at /app/). */
export async function buildApp(root = REPO_ROOT): Promise<void> {
  const { build } = await import("vite");
  await build({ configFile: path.join(root, APP_FOLDER, VITE_CONFIG), logLevel: "warn" });
}

export interface BuildResult {
  /** Type errors, formatted as tsc prints them; empty when the repository type-checks. */
  errors: string;
  emitted: number;
}

/**
 * Type-checks the whole repository (tests included, as `tsc -p tsconfig.json` does) and writes
 * every workspace's dist/ afresh. Emits even when there are type errors, and reports them.
 */
export async function buildAll(root = REPO_ROOT): Promise<BuildResult> {
  const { ts, parsed } = await loadCompilerOptions(root);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
  });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  const sources = new Set(sourceFiles(root));
  for (const folder of workspaceFolders(root)) rmSync(path.join(folder, OUTPUT_DIR), { recursive: true, force: true });

  const writes: Array<Promise<void>> = [];
  let emitted = 0;
  for (const sourceFile of program.getSourceFiles()) {
    const file = path.resolve(sourceFile.fileName);
    if (!sources.has(file)) continue;
    program.emit(sourceFile, (fileName, text) => {
      const output = outputOf(file, fileName.endsWith(".map") ? ".js.map" : ".js");
      // The source map names its source relative to where it is now written.
      const content = fileName.endsWith(".map") ? rewriteMapSource(text, output, file) : text;
      writes.push(mkdir(path.dirname(output), { recursive: true }).then(() => writeFile(output, content)));
    });
    emitted++;
  }
  await Promise.all(writes);
  const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  const errors = diagnostics.length > 0 ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : "";
  if (!existsSync(path.join(root, APP_FOLDER, VITE_CONFIG))) return { errors, emitted };
  const appErrors = await typeCheckApp(root);
  await buildApp(root);
  return { errors: errors + appErrors, emitted };
}

function rewriteMapSource(text: string, output: string, source: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string; file?: string };
  map.sources = [path.relative(path.dirname(output), source)];
  map.file = path.basename(output);
  delete map.sourceRoot;
  return JSON.stringify(map);
}

/**
 * Brings dist/ up to date with src/ quickly, without a type check: each changed file is
 * transpiled alone (the repository compiles with isolatedModules, so the output is the same as
 * the full build's). For `npm start` and the test setup after an edit; `npm run build` checks types.
 */
export async function refreshStaleOutputs(root = REPO_ROOT): Promise<string[]> {
  const stale = staleSources(root);
  for (const orphan of orphanOutputs(root)) rmSync(orphan, { force: true });
  const isAppStale = appIsStale(root);
  if (isAppStale) await buildApp(root);
  const rebuiltApp = isAppStale ? [path.join(APP_FOLDER, OUTPUT_DIR)] : [];
  if (stale.length === 0) return rebuiltApp;
  const { ts, parsed } = await loadCompilerOptions(root);
  // Alone, a file cannot tell nodenext that its package is an ES module (every workspace's is): say so.
  const compilerOptions = {
    ...parsed.options,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  await Promise.all(
    stale.map(async (file) => {
      const output = outputOf(file);
      const result = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions, fileName: file });
      await mkdir(path.dirname(output), { recursive: true });
      const mapFile = `${output}.map`;
      // The output already names its map as <file>.js.map, beside it.
      await writeFile(output, result.outputText);
      if (result.sourceMapText) await writeFile(mapFile, rewriteMapSource(result.sourceMapText, output, file));
    }),
  );
  return [...stale.map((file) => path.relative(root, file)), ...rebuiltApp];
}
