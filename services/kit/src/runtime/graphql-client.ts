export const GRAPHQL_REQUEST_TIMEOUT_MS = 30_000;
const MAX_REPORTED_BODY_CHARS = 500;

export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

// `any` by default so that tests can read nested fields of `data` without a cast at every step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export interface GraphQLResponse<TData = any> {
  status: number;
  body: { data?: TData | null; errors?: GraphQLErrorBody[] };
}

/** Sends one GraphQL operation over HTTP POST. A body that is not JSON becomes a single error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export async function gql<TData = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(GRAPHQL_REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as GraphQLResponse<TData>["body"] };
  } catch {
    const message = `The server answered ${response.status} with a body that is not JSON: ${text.slice(0, MAX_REPORTED_BODY_CHARS)}`;
    return { status: response.status, body: { errors: [{ message }] } };
  }
}

/** The data of a response, or an error that names the step and quotes the GraphQL errors. */
export function dataOrThrow<TData>(response: GraphQLResponse<TData>, step: string): TData {
  const { data, errors } = response.body;
  if (errors?.length || data === undefined || data === null) {
    const messages = errors?.map(
      (error) => `${error.message}${error.extensions?.code ? ` (${error.extensions.code})` : ""}`,
    );
    throw new Error(
      `${step} failed with HTTP ${response.status}: ${messages?.join("; ") ?? "no data in the response"}`,
    );
  }
  return data;
}
