import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const GENERATOR = path.join(REPO_ROOT, "scripts/new-service.ts");
const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** The files the generator reads or registers the service in; the rest of the repository does not matter to it. */
const REGISTRATION_FILES = ["package.json", "infra/src/services.ts", "schema/subgraphs.ts"];

let root: string;

function runGenerator(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", TSX_LOADER_URL, GENERATOR, ...args, "--root", root], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const readInRoot = (file: string) => readFileSync(path.join(root, file), "utf8");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)).map((file) => `${entry.name}/${file}`) : [entry.name],
  );
}

/** The repository's registration files as they are, and one package.json per existing service. */
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "rhizome-new-service-"));
  const existingServices = readdirSync(path.join(REPO_ROOT, "services"), { withFileTypes: true }).filter((entry) =>
    entry.isDirectory(),
  );
  const files = [...REGISTRATION_FILES, ...existingServices.map((service) => `services/${service.name}/package.json`)];
  for (const file of files) {
    if (!existsSync(path.join(REPO_ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("npm run new-service", () => {
  it("creates a service in the one shape and registers it everywhere the hub lists services", () => {
    const highestPort = Math.max(
      ...[...readInRoot("infra/src/services.ts").matchAll(/defaultPort:\s*(\d+)/g)].map((m) => Number(m[1])),
    );
    const port = highestPort + 1;
    const packageBefore = JSON.parse(readInRoot("package.json"));

    const run = runGenerator("sample");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("npm install");
    expect(run.stdout).toContain("npm run compose");

    const service = path.join(root, "services/sample");
    const files = filesUnder(service);
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "package.json",
        "src/main.ts",
        "src/service.ts",
        "src/config.ts",
        "src/context.ts",
        "src/references.ts",
        "src/domain/notes.ts",
        "src/store/notes.ts",
        "src/actions/add-note.ts",
        "src/migrations/0001-sample-schema.ts",
        "src/migrations/index.ts",
        "src/resolvers/note.resolver.ts",
        "src/resolvers/types.ts",
        "src/jobs/notes-tally.ts",
        "src/jobs/circles.ts",
        "test/sample.test.ts",
        "test/domain.test.ts",
      ]),
    );
    // One way to persist: typed SQL in stores, no TypeORM entities.
    expect(files.filter((file) => file.startsWith("src/entities/"))).toEqual([]);
    expect(readInRoot("services/sample/src/store/notes.ts")).toContain("sqlRows<NoteRow>");
    for (const file of files) {
      expect(file).not.toMatch(/\.tmpl$/);
      expect(readFileSync(path.join(service, file), "utf8"), file).not.toMatch(/__(name|Name|NAME|PORT|TIMESTAMP)__/);
    }
    expect(JSON.parse(readInRoot("services/sample/package.json"))).toMatchObject({
      name: "@rhizome/sample",
      dependencies: { "@rhizome/kit": expect.any(String) },
    });
    expect(readInRoot("services/sample/src/config.ts")).toContain(`PORT: portSetting(${port})`);
    expect(readInRoot("services/sample/src/service.ts")).toContain("export const sampleService = defineService({");
    expect(readInRoot("services/sample/src/migrations/0001-sample-schema.ts")).toMatch(
      /export class SampleSchema\d{13} implements MigrationInterface/,
    );
    expect(readInRoot("services/sample/test/sample.test.ts")).toContain("startTestService(sampleService)");

    const packageAfter = JSON.parse(readInRoot("package.json"));
    expect(packageAfter.workspaces).toContain("services/sample");
    expect({ ...packageAfter, workspaces: undefined }).toEqual({ ...packageBefore, workspaces: undefined });
    expect(readInRoot("infra/src/services.ts")).toContain(
      `{ name: "sample", entry: "services/sample/src/main.ts", defaultPort: ${port}, startsFirst: false },`,
    );
    expect(readInRoot("schema/subgraphs.ts")).toContain(
      `sample: async () => (await import("@rhizome/sample")).buildSampleSubgraph(),`,
    );
    expect(run.stdout).toContain("npm run render:kubernetes");
  });

  it("refuses a service that exists, and changes nothing", () => {
    const before = REGISTRATION_FILES.map(readInRoot);
    const run = runGenerator("sample");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("services/sample already exists");
    expect(REGISTRATION_FILES.map(readInRoot)).toEqual(before);
  });

  it("refuses a name that is not 2 to 20 lower-case letters, or one the hub uses", () => {
    for (const name of ["Tools", "t", "tools2", "mutual-aid", "a".repeat(21)]) {
      const run = runGenerator(name);
      expect(run.status, name).toBe(1);
      expect(run.stderr, name).toContain("2 to 20 lower-case letters");
    }
    expect(runGenerator("gateway")).toMatchObject({ status: 1, stderr: expect.stringContaining("taken") });
    expect(runGenerator()).toMatchObject({
      status: 1,
      stderr: expect.stringContaining("npm run new-service -- <name>"),
    });
    expect(
      readdirSync(path.join(root, "services")).filter((name) => !existsSync(path.join(REPO_ROOT, "services", name))),
    ).toEqual(["sample"]);
  });
});
