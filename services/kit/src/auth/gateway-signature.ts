import { serviceCredentialSource, type ServiceCredentialScope } from "./internal-auth.js";

/**
 * In production a subgraph answers only the hub's gateway: the gateway sends a short-lived service
 * token of its own (subject "gateway", signed with the hub's TOKEN_SECRET) in this header with
 * every subgraph request, and the subgraph refuses any request without a valid one. A member's
 * token never passes for it (another audience), nor does another service's. Each signature opens
 * only the /graphql of the subgraph it was sent to: a subgraph cannot replay it against another
 * subgraph or any internal route.
 */
export const GATEWAY_SIGNATURE_HEADER = "x-rhizome-gateway";
export const GATEWAY_SERVICE_NAME = "gateway";

/** Where the gateway's signature is accepted: the GraphQL endpoint of the subgraph it was sent to. */
export const SUBGRAPH_GRAPHQL_ROUTE = "/graphql";

export const gatewaySignatureScope = (subgraph: string): ServiceCredentialScope => ({
  target: subgraph,
  route: SUBGRAPH_GRAPHQL_ROUTE,
});

/** The gateway's signature for one subgraph, renewed well before it expires. */
export function gatewaySignatureSource(secret: string): (subgraph: string) => Promise<string> {
  const credentials = serviceCredentialSource(secret, GATEWAY_SERVICE_NAME);
  return (subgraph) => credentials(gatewaySignatureScope(subgraph));
}
