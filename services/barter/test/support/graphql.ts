import {
  failure,
  graphql as post,
  subgraphUrl,
  succeed as postAndSucceed,
  type GraphQLResponse,
} from "@rhizome/kit/testing";

/** The kit's GraphQL client, bound to the test hub's barter subgraph; `token` is a member's bearer token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export async function graphql<Data = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<Data>["body"]> {
  return (await post<Data>(subgraphUrl("barter"), query, variables, token)).body;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export function succeed<Data = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<Data> {
  return postAndSucceed<Data>(subgraphUrl("barter"), query, variables, token);
}

export function failWith(
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<{ code: string | undefined; message: string }> {
  return failure(subgraphUrl("barter"), query, variables, token);
}

export type { GraphQLResponse };
