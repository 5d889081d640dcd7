import { testEnvironment } from "./environment.js";

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Sends one operation to the barter subgraph, as a member (token) or anonymously. */
export async function graphql<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<Data>> {
  const response = await fetch(testEnvironment().barterUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** The data of a successful operation; throws with the errors otherwise. */
export async function succeed<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Data> {
  const result = await graphql<Data>(query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The error code of a failed operation; throws if it succeeded. */
export async function failWith(query: string, variables: Record<string, unknown>, token?: string): Promise<{ code: string | undefined; message: string }> {
  const result = await graphql(query, variables, token);
  const error = result.errors?.[0];
  if (!error) throw new Error(`Expected an error, got ${JSON.stringify(result.data)}`);
  return { code: error.extensions?.code, message: error.message };
}
