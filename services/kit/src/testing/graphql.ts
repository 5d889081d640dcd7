import { dataOrThrow, gql, type GraphQLResponse } from "../runtime/graphql-client.js";

export { dataOrThrow, type GraphQLErrorBody, type GraphQLResponse } from "../runtime/graphql-client.js";

/** A bearer token, or request headers (x-api-key, x-operator-key ...). */
export type Credentials = string | Record<string, string> | undefined;

function headersOf(credentials: Credentials): Record<string, string> {
  if (credentials === undefined) return {};
  return typeof credentials === "string" ? { authorization: `Bearer ${credentials}` } : credentials;
}

/** Sends one GraphQL operation, as a member (their token), with headers, or anonymously. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export function graphql<Data = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credentials?: Credentials,
): Promise<GraphQLResponse<Data>> {
  return gql<Data>(url, query, variables, headersOf(credentials));
}

/** Sends an operation that must succeed, and returns its data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export async function succeed<Data = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credentials?: Credentials,
): Promise<Data> {
  return dataOrThrow(
    await graphql<Data>(url, query, variables, credentials),
    query.trim().split(/[({]/)[0] || "operation",
  );
}

/** Sends an operation that must fail, and returns its first error's code and message. */
export async function failure(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credentials?: Credentials,
): Promise<{ code: string | undefined; message: string; status: number }> {
  const response = await graphql(url, query, variables, credentials);
  const error = response.body.errors?.[0];
  if (!error) throw new Error(`Expected an error, got ${JSON.stringify(response.body.data)}`);
  return { code: error.extensions?.code, message: error.message, status: response.status };
}
