/**
 * `npm run new-service -- <name> [--root <dir>]`: creates services/<name> from
 * scripts/service-template in the one shape every service has (services/README.md), and registers
 * it with the workspaces, the launcher and the composition. The image needs nothing per service, and
 * the Kubernetes manifests are rendered from the launcher's list (`npm run render:kubernetes`).
 *
 * Everything is worked out before anything is written, so a refusal leaves the repository as it was.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NAME_PATTERN = /^[a-z]{2,20}$/;
/** Names the hub already uses for something that is not a service under services/. */
const RESERVED_NAMES = new Set(["gateway", "infra", "kit", "schema", "scripts", "tests"]);
const TEMPLATE_DIR = fileURLToPath(new URL("./service-template/", import.meta.url));
const SERVICE_TEMPLATE_DIR = path.join(TEMPLATE_DIR, "service");
const TEMPLATE_SUFFIX = ".tmpl";
const DEFAULT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const PACKAGE_JSON = "package.json";
const SERVICES_LIST = "infra/src/services.ts";
const SUBGRAPHS = "schema/subgraphs.ts";

/** A refusal the person running the generator can act on; exits with code 1. */
class NewServiceRefused extends Error {
  override name = "NewServiceRefused";
}

interface Placeholders {
  name: string;
  Name: string;
  NAME: string;
  PORT: string;
  TIMESTAMP: string;
}

interface FileChange {
  /** Relative to the repository root. */
  path: string;
  content: string;
  /** What the change does, for the summary; absent for a new file of the service. */
  registers?: string;
}

interface Plan {
  name: string;
  port: number;
  files: FileChange[];
  registrations: FileChange[];
  /** Registrations left to do by hand, each with what to add. */
  skipped: string[];
}

function fill(text: string, values: Placeholders): string {
  return text.replace(/__(name|Name|NAME|PORT|TIMESTAMP)__/g, (_, key: keyof Placeholders) => values[key]);
}

function templateFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

function read(root: string, file: string): string {
  return readFileSync(path.join(root, file), "utf8");
}

function refuseName(name: string | undefined): asserts name is string {
  if (!name)
    throw new NewServiceRefused("Name the service: npm run new-service -- <name>, e.g. npm run new-service -- tools");
  if (!NAME_PATTERN.test(name)) {
    throw new NewServiceRefused(
      `"${name}" is not a service name: use 2 to 20 lower-case letters (a-z), e.g. "tools" or "governance".`,
    );
  }
  if (RESERVED_NAMES.has(name))
    throw new NewServiceRefused(`"${name}" is taken by the hub's own ${name} folder or process; pick another name.`);
}

/** The default ports every process of the launcher uses; the new service takes the next one after the highest. */
function defaultPorts(servicesList: string): number[] {
  return [...servicesList.matchAll(/defaultPort:\s*(\d+)/g)].map((match) => Number(match[1]));
}

function registerWorkspace(packageJson: string, name: string): string {
  const manifest = JSON.parse(packageJson) as { workspaces?: string[] };
  const workspaces = manifest.workspaces;
  if (!Array.isArray(workspaces))
    throw new NewServiceRefused(`${PACKAGE_JSON} has no "workspaces" list to add services/${name} to.`);
  const lastService = workspaces.reduce(
    (last, workspace, index) => (workspace.startsWith("services/") ? index : last),
    -1,
  );
  workspaces.splice(lastService + 1, 0, `services/${name}`);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function registerService(servicesList: string, name: string, port: number): string {
  const list = /(export const SERVICES\b.*=\s*\[)([\s\S]*?)(\n\];)/.exec(servicesList);
  if (!list)
    throw new NewServiceRefused(`${SERVICES_LIST} has no \`export const SERVICES ... = [ ... ];\` to add ${name} to.`);
  const line = `  { name: "${name}", entry: "services/${name}/src/main.ts", defaultPort: ${port}, startsFirst: false },`;
  const [whole, opening, body, closing] = list;
  const separated = body.trimEnd().endsWith(",") || body.trim() === "" ? body : `${body.trimEnd()},`;
  return servicesList.replace(whole, `${opening}${separated}\n${line}${closing}`);
}

/** Adds the service's builder to schema/subgraphs.ts, in the form the other services' take. */
function registerSubgraph(subgraphs: string, name: string, Name: string): string {
  const builders = /(const builders\b.*=\s*\{)([\s\S]*?)(\n\};)/.exec(subgraphs);
  if (!builders)
    throw new NewServiceRefused(`${SUBGRAPHS} has no \`const builders ... = { ... };\` to add ${name}'s subgraph to.`);
  const line = `  ${name}: async () => (await import("@rhizome/${name}")).build${Name}Subgraph(),`;
  const [whole, opening, body, closing] = builders;
  const separated = body.trimEnd().endsWith(",") || body.trim() === "" ? body : `${body.trimEnd()},`;
  return subgraphs.replace(whole, `${opening}${separated}\n${line}${closing}`);
}

function planNewService(root: string, name: string | undefined, now: Date): Plan {
  refuseName(name);
  for (const required of [PACKAGE_JSON, SERVICES_LIST, SUBGRAPHS]) {
    if (!existsSync(path.join(root, required)))
      throw new NewServiceRefused(`${root} is not a Rhizome repository: it has no ${required}.`);
  }
  if (existsSync(path.join(root, "services", name)))
    throw new NewServiceRefused(`services/${name} already exists; pick another name.`);
  const servicesList = read(root, SERVICES_LIST);
  if (new RegExp(`name:\\s*"${name}"`).test(servicesList))
    throw new NewServiceRefused(`${SERVICES_LIST} already lists a service named ${name}; pick another name.`);

  const port = Math.max(...defaultPorts(servicesList), 4000) + 1;
  const values: Placeholders = {
    name,
    Name: name[0].toUpperCase() + name.slice(1),
    NAME: name.toUpperCase(),
    PORT: String(port),
    // TypeORM reads a migration's order from the 13-digit timestamp that ends its class name.
    TIMESTAMP: String(now.getTime()),
  };

  const files = templateFiles(SERVICE_TEMPLATE_DIR)
    .map((template) => {
      if (!template.endsWith(TEMPLATE_SUFFIX))
        throw new Error(`scripts/service-template/service/${template} should end in ${TEMPLATE_SUFFIX}.`);
      return {
        path: path.posix.join("services", name, fill(template.slice(0, -TEMPLATE_SUFFIX.length), values)),
        content: fill(readFileSync(path.join(SERVICE_TEMPLATE_DIR, template), "utf8"), values),
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));

  const registrations: FileChange[] = [
    {
      path: PACKAGE_JSON,
      content: registerWorkspace(read(root, PACKAGE_JSON), name),
      registers: `workspace services/${name}`,
    },
    {
      path: SERVICES_LIST,
      content: registerService(servicesList, name, port),
      registers: `SERVICES entry, default port ${port}`,
    },
    {
      path: SUBGRAPHS,
      content: registerSubgraph(read(root, SUBGRAPHS), name, values.Name),
      registers: "subgraph builder for composition",
    },
  ];
  const skipped: string[] = [];
  return { name, port, files, registrations, skipped };
}

function apply(root: string, plan: Plan): void {
  for (const file of plan.files) {
    const target = path.join(root, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content, { flag: "wx" });
  }
  for (const file of plan.registrations) writeFileSync(path.join(root, file.path), file.content);
}

function report(plan: Plan): string {
  const width = Math.max(...plan.registrations.map((r) => r.path.length));
  const steps: Array<[string, string]> = [
    ["  1. npm install", `links @rhizome/${plan.name} into node_modules (composition imports it)`],
    ["  2. npm run compose", `adds the ${plan.name} subgraph to schema/supergraph.graphql`],
    ["  3. npm run render:kubernetes", `adds ${plan.name}'s deployments to infra/deploy/kubernetes/`],
    [`  4. npx vitest run services/${plan.name}`, "the example's tests, against the test hub"],
  ];
  const commandWidth = Math.max(...steps.map(([command]) => command.length));
  return [
    `Created services/${plan.name} (default port ${plan.port}):`,
    ...plan.files.map((file) => `  ${file.path}`),
    "",
    `Registered ${plan.name} in:`,
    ...plan.registrations.map((r) => `  ${r.path.padEnd(width)}  ${r.registers}`),
    ...(plan.skipped.length > 0
      ? ["", "Not registered (the file has another shape); do it by hand:", ...plan.skipped.map((s) => `  ${s}`)]
      : []),
    "",
    "Next:",
    ...steps.map(([command, why]) => `${command.padEnd(commandWidth)}  ${why}`),
    `  5. Say what ${plan.name} owns in services/${plan.name}/README.md, then replace the example notes`,
    "     with its own tables, rules and fields (services/README.md describes the shape).",
  ].join("\n");
}

interface Arguments {
  name: string | undefined;
  root: string;
  isHelp: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const parsed: Arguments = { name: undefined, root: DEFAULT_ROOT, isHelp: false };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === "--help" || argument === "-h") parsed.isHelp = true;
    else if (argument === "--root") {
      const root = argv[++i];
      if (!root) throw new NewServiceRefused("--root needs a directory: --root <dir>");
      parsed.root = path.resolve(root);
    } else if (argument.startsWith("--root=")) parsed.root = path.resolve(argument.slice("--root=".length));
    else if (argument.startsWith("-"))
      throw new NewServiceRefused(`Unknown option ${argument}; usage: npm run new-service -- <name> [--root <dir>]`);
    else if (parsed.name !== undefined)
      throw new NewServiceRefused(`One service at a time: got "${parsed.name}" and "${argument}".`);
    else parsed.name = argument;
  }
  return parsed;
}

try {
  const options = parseArguments(process.argv.slice(2));
  if (options.isHelp) {
    console.log(
      "Usage: npm run new-service -- <name> [--root <dir>]\nCreates services/<name> from scripts/service-template and registers it (see services/README.md).",
    );
  } else {
    const plan = planNewService(options.root, options.name, new Date());
    apply(options.root, plan);
    console.log(report(plan));
  }
} catch (error) {
  if (!(error instanceof NewServiceRefused)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
