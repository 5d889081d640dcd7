import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const APP = path.dirname(fileURLToPath(import.meta.url));

/** The gateway runs the app's operations from this file, written beside the page (see codegen.ts). */
function persistedOperations(): Plugin {
  return {
    name: "rhizome-persisted-operations",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "persisted-operations.json",
        source: readFileSync(path.join(APP, "src/generated/persisted-documents.json"), "utf8"),
      });
    },
  };
}

/** Prints the compressed JavaScript a phone downloads before the home screen (the goal is at most 150 KB). */
function startupSize(): Plugin {
  return {
    name: "rhizome-startup-size",
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === "chunk");
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const loaded = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = byName.get(fileName);
        if (!chunk || loaded.has(fileName)) return;
        loaded.add(fileName);
        chunk.imports.forEach(visit);
      };
      chunks.filter((chunk) => chunk.isEntry).forEach((chunk) => visit(chunk.fileName));
      const gzipBytes = [...loaded].reduce(
        (sum, fileName) => sum + gzipSync(byName.get(fileName)!.code, { level: 9 }).length,
        0,
      );
      console.log(
        `JavaScript before the home screen: ${(gzipBytes / 1024).toFixed(1)} KB gzip in ${loaded.size} file(s) (goal: at most 150 KB)`,
      );
    },
  };
}

export default defineConfig({
  root: APP,
  base: "/app/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    // The polyfill would be an inline script, which the page's policy forbids.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  plugins: [persistedOperations(), startupSize()],
});
