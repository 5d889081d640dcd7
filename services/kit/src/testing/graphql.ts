export const GRAPHQL_REQUEST_TIMEOUT_MS = 30_000;
const MAX_REPORTED_BODY_CHARS = 500;

export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

// `any` by default so that tests can read nested fields of `data` without a cast at every step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphQLResponse<Data = any> {
  status: number;
  body: { data?: Data | null; errors?: GraphQLErrorBody[] };
}

/** A bearer token, or request headers (x-api-key, x-operator-key ...). */
export type Credentials = string | Record<string, string> | undefined;

function headersOf(credentials: Credentials): Record<string, string> {
  if (credentials === undefined) return {};
  return typeof credentials === "string" ? { authorization: `Bearer ${credentials}` } : credentials;
}

/** Sends one GraphQL operation over HTTP POST. A body that is not JSON becomes a single error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function graphql<Data = any>(url: string, query: string, variables: Record<string, unknown> = {}, credentials?: Credentials): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headersOf(credentials) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(GRAPHQL_REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as GraphQLResponse<Data>["body"] };
  } catch {
    return { status: response.status, body: { errors: [{ message: `The server answered ${response.status} with a body that is not JSON: ${text.slice(0, MAX_REPORTED_BODY_CHARS)}` }] } };
  }
}

/** The data of a response, or an error that names the step and quotes the GraphQL errors. */
export function dataOrThrow<Data>(response: GraphQLResponse<Data>, step: string): Data {
  const { data, errors } = response.body;
  if (errors?.length || data === undefined || data === null) {
    const messages = errors?.map((error) => `${error.message}${error.extensions?.code ? ` (${error.extensions.code})` : ""}`);
    throw new Error(`${step} failed with HTTP ${response.status}: ${messages?.join("; ") ?? "no data in the response"}`);
  }
  return data;
}

/** Sends an operation that must succeed, and returns its data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function succeed<Data = any>(url: string, query: string, variables: Record<string, unknown> = {}, credentials?: Credentials): Promise<Data> {
  return dataOrThrow(await graphql<Data>(url, query, variables, credentials), query.trim().split(/[({]/)[0] || "operation");
}

/** Sends an operation that must fail, and returns its first error's code and message. */
export async function failure(url: string, query: string, variables: Record<string, unknown> = {}, credentials?: Credentials): Promise<{ code: string | undefined; message: string; status: number }> {
  const response = await graphql(url, query, variables, credentials);
  const error = response.body.errors?.[0];
  if (!error) throw new Error(`Expected an error, got ${JSON.stringify(response.body.data)}`);
  return { code: error.extensions?.code, message: error.message, status: response.status };
}
