/**
 * The Kubernetes manifests, rendered from SERVICES so every service gets the same deployment:
 * `npm run render:kubernetes` writes infra/deploy/kubernetes/ (base and the small and large
 * overlays); a test fails when the committed files differ from a fresh rendering, and validates
 * every object against the Kubernetes schemas.
 *
 * Per service: an API Deployment (ROLE=api, behind a Service, scaled by a HorizontalPodAutoscaler)
 * and a worker Deployment (ROLE=worker: queues, events, cycle jobs), each with a
 * PodDisruptionBudget. Migrations run in an init container under the schema's advisory lock, as a
 * migration role; the service itself runs as a role that may only use its schema's rows
 * (MIGRATIONS=check). /metrics is on port 9464, which the NetworkPolicies open to the monitoring
 * namespace only.
 */
import { stringify } from "yaml";
import { GATEWAY, SERVICES, variablePrefix, type ProcessDefinition, type ServiceDefinition } from "./services.js";

export const IMAGE = "rhizome";
/** Base tag; an overlay (or `kustomize edit set image`) replaces it with the release's own. Never `latest`. */
export const IMAGE_TAG = "0.1.0";
export const METRICS_PORT = 9464;
export const PART_OF = "rhizome";
/** Kit's shutdown limit is 10 s; the pre-stop pause plus that fit well inside. */
const TERMINATION_GRACE_SECONDS = 30;
const PRE_STOP_SECONDS = 5;
/** Measured idle (npm run measure, one process per service): services about 135-145 MB RSS, the gateway about 155 MB. */
const SERVICE_RESOURCES = { requests: { cpu: "100m", memory: "192Mi" }, limits: { memory: "512Mi" } };
const GATEWAY_RESOURCES = { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "768Mi" } };

type Manifest = Record<string, unknown>;

const labelsOf = (app: string, component: string) => ({
  app,
  "app.kubernetes.io/part-of": PART_OF,
  "app.kubernetes.io/component": component,
});

function probes(port: string, readinessPath: string) {
  return {
    // Start-up may include migrations: up to 2 minutes before liveness counts.
    startupProbe: { httpGet: { path: "/health", port }, periodSeconds: 2, failureThreshold: 60 },
    // Ready needs the database and Redis: a blip takes pods out of the Service without restarting them.
    readinessProbe: {
      httpGet: { path: readinessPath, port },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    // Alive is the process alone, so a database outage never restarts every pod at once.
    livenessProbe: { httpGet: { path: "/health", port }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
  };
}

const containerSecurity = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

function deployment(options: {
  name: string;
  app: string;
  component: string;
  args: string[];
  port: number;
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  secret: string;
  resources: unknown;
  initContainers?: unknown[];
  /** Default /ready. */
  readinessPath?: string;
}): Manifest {
  const labels = labelsOf(options.app, options.component);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: options.name, labels },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: options.app, "app.kubernetes.io/component": options.component } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: "RuntimeDefault" },
          },
          automountServiceAccountToken: false,
          ...(options.initContainers ? { initContainers: options.initContainers } : {}),
          containers: [
            {
              name: options.app,
              image: `${IMAGE}:${IMAGE_TAG}`,
              imagePullPolicy: "IfNotPresent",
              args: options.args,
              ports: [
                { name: "http", containerPort: options.port },
                { name: "metrics", containerPort: METRICS_PORT },
              ],
              envFrom: [{ configMapRef: { name: "rhizome-config" } }, { secretRef: { name: options.secret } }],
              env: [
                { name: "PORT", value: String(options.port) },
                { name: "METRICS_PORT", value: String(METRICS_PORT) },
                ...options.env,
              ],
              ...probes("http", options.readinessPath ?? "/ready"),
              // Let the Service stop sending requests before the process starts to stop.
              lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SECONDS)] } } },
              resources: options.resources,
              securityContext: containerSecurity,
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

function disruptionBudget(name: string, app: string, component: string): Manifest {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, labels: labelsOf(app, component) },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app, "app.kubernetes.io/component": component } } },
  };
}

function autoscaler(name: string, app: string, component: string): Manifest {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name, labels: labelsOf(app, component) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

function clusterService(app: string, component: string, port: number): Manifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: app, labels: labelsOf(app, component) },
    spec: {
      selector: { app, "app.kubernetes.io/component": component },
      ports: [{ name: "http", port, targetPort: "http" }],
    },
  };
}

/** Who may reach a pod: on http, the given peers; on metrics, the monitoring namespace. */
function networkPolicy(name: string, app: string, component: string, httpFrom: unknown[] | "anyone"): Manifest {
  const fromMonitoring = [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }];
  const ingress: unknown[] = [{ from: fromMonitoring, ports: [{ port: "metrics", protocol: "TCP" }] }];
  if (httpFrom === "anyone") ingress.unshift({ ports: [{ port: "http", protocol: "TCP" }] });
  else if (httpFrom.length > 0) ingress.unshift({ from: httpFrom, ports: [{ port: "http", protocol: "TCP" }] });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, labels: labelsOf(app, component) },
    spec: {
      podSelector: { matchLabels: { app, "app.kubernetes.io/component": component } },
      policyTypes: ["Ingress"],
      ingress,
    },
  };
}

const secretName = (service: string) => `rhizome-${service}`;
const fromSecret = (service: string, key: string) => ({ secretKeyRef: { name: secretName(service), key } });

function serviceManifests(service: ServiceDefinition): Manifest[] {
  const { name, defaultPort: port } = service;
  const args = ["node", `services/${name}/dist/main.js`];
  // The migration role's URL lives in a secret the service's own container never sees.
  const migrate = {
    name: "migrate",
    image: `${IMAGE}:${IMAGE_TAG}`,
    imagePullPolicy: "IfNotPresent",
    args: ["node", "infra/dist/migrate.js", name],
    env: [
      { name: "DATABASE_URL", valueFrom: fromSecret(name, "DATABASE_URL") },
      {
        name: "MIGRATION_DATABASE_URL",
        valueFrom: { secretKeyRef: { name: `${secretName(name)}-migration`, key: "MIGRATION_DATABASE_URL" } },
      },
    ],
    resources: SERVICE_RESOURCES,
    securityContext: containerSecurity,
  };
  const worker = `${name}-worker`;
  // Subgraph requests come from the gateway; internal endpoints (event feeds, key checks) from other services.
  const peers = [
    { podSelector: { matchLabels: { app: GATEWAY.name } } },
    { podSelector: { matchLabels: { "app.kubernetes.io/component": "api" } } },
    { podSelector: { matchLabels: { "app.kubernetes.io/component": "worker" } } },
  ];
  return [
    deployment({
      name,
      app: name,
      component: "api",
      args,
      port,
      env: [
        { name: "ROLE", value: "api" },
        { name: "MIGRATIONS", value: "check" },
      ],
      secret: secretName(name),
      resources: SERVICE_RESOURCES,
      initContainers: [migrate],
    }),
    clusterService(name, "api", port),
    autoscaler(name, name, "api"),
    disruptionBudget(name, name, "api"),
    networkPolicy(name, name, "api", peers),
    deployment({
      name: worker,
      app: name,
      component: "worker",
      args,
      port,
      env: [
        { name: "ROLE", value: "worker" },
        { name: "MIGRATIONS", value: "check" },
      ],
      secret: secretName(name),
      resources: SERVICE_RESOURCES,
      initContainers: [migrate],
    }),
    disruptionBudget(worker, name, "worker"),
    networkPolicy(worker, name, "worker", []),
  ];
}

function gatewayManifests(gateway: ProcessDefinition): Manifest[] {
  const { name, defaultPort: port } = gateway;
  return [
    // The gateway's /ready reports its subgraphs (for operators and monitoring); as a probe it would
    // take every gateway out of the Service when one subgraph is down, and with them the answers
    // the other subgraphs can still give. The gateway answers an outage itself (503, retryable).
    deployment({
      name,
      app: name,
      component: "gateway",
      args: ["node", "gateway/dist/main.js"],
      port,
      env: [],
      secret: "rhizome-gateway",
      resources: GATEWAY_RESOURCES,
      readinessPath: "/health",
    }),
    clusterService(name, "gateway", port),
    autoscaler(name, name, "gateway"),
    disruptionBudget(name, name, "gateway"),
    networkPolicy(name, name, "gateway", "anyone"),
  ];
}

function config(services: readonly ServiceDefinition[]): Manifest {
  const data: Record<string, string> = {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    HOST: "0.0.0.0",
    CIRCLE_FOUNDING: "operator",
  };
  for (const service of services) {
    data[`${variablePrefix(service.name)}_URL`] = `http://${service.name}:${service.defaultPort}`;
    data[`${variablePrefix(service.name)}_SUBGRAPH_URL`] = `http://${service.name}:${service.defaultPort}/graphql`;
  }
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "rhizome-config", labels: { "app.kubernetes.io/part-of": PART_OF } },
    data,
  };
}

/** Everything the pods of the hub do not allow stays closed: ingress to rhizome pods is denied unless a policy opens it. */
function denyByDefault(): Manifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "rhizome-deny-by-default", labels: { "app.kubernetes.io/part-of": PART_OF } },
    spec: { podSelector: { matchLabels: { "app.kubernetes.io/part-of": PART_OF } }, policyTypes: ["Ingress"] },
  };
}

const HEADER = "# Rendered by `npm run render:kubernetes` from infra/src/kubernetes.ts: edit that, not this file.\n";

function document(manifests: Manifest[]): string {
  return (
    HEADER +
    manifests.map((manifest) => stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n")
  );
}

interface Profile {
  apiReplicas: [number, number];
  workerReplicas: number;
  tag: string;
}

const PROFILES: Record<"small" | "large", Profile> = {
  // A town: every API pod can run alone, one worker each.
  small: { apiReplicas: [1, 3], workerReplicas: 1, tag: IMAGE_TAG },
  // A city with thousands of circles: more API pods first, then workers.
  large: { apiReplicas: [3, 20], workerReplicas: 3, tag: IMAGE_TAG },
};

function overlay(profile: Profile, services: readonly ServiceDefinition[]): Record<string, string> {
  const apiNames = [...services.map((s) => s.name), GATEWAY.name];
  const kustomization = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: ["../../base"],
    images: [{ name: IMAGE, newTag: profile.tag }],
    replicas: [
      ...apiNames.map((name) => ({ name, count: profile.apiReplicas[0] })),
      ...services.map((s) => ({ name: `${s.name}-worker`, count: profile.workerReplicas })),
    ],
    patches: apiNames.map((name) => ({
      target: { kind: "HorizontalPodAutoscaler", name },
      patch: stringify([
        { op: "replace", path: "/spec/minReplicas", value: profile.apiReplicas[0] },
        { op: "replace", path: "/spec/maxReplicas", value: profile.apiReplicas[1] },
      ]),
    })),
  };
  return { "kustomization.yaml": HEADER + stringify(kustomization, { lineWidth: 0, aliasDuplicateObjects: false }) };
}

/** Every file under infra/deploy/kubernetes/, by path relative to it. */
export function renderKubernetes(services: readonly ServiceDefinition[] = SERVICES): Record<string, string> {
  const files: Record<string, string> = {
    "base/config.yaml": document([config(services), denyByDefault()]),
    "base/gateway.yaml": document(gatewayManifests(GATEWAY)),
  };
  for (const service of services) files[`base/${service.name}.yaml`] = document(serviceManifests(service));
  files["base/kustomization.yaml"] =
    HEADER +
    stringify({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: Object.keys(files)
        .map((file) => file.slice("base/".length))
        .sort(),
    });
  for (const [name, profile] of Object.entries(PROFILES)) {
    for (const [file, content] of Object.entries(overlay(profile, services)))
      files[`overlays/${name}/${file}`] = content;
  }
  return files;
}
