import { CC_AUTH_HEADER, CC_NODE_HEADER, CC_TRACE_HEADER, ccErrorSchema, type CcTransaction } from "./messages.js";
import type { Neighbour, NodeConfig } from "./node-config.js";
import type { PayerLimit } from "../domain/credit-commons.js";

/**
 * A refusal on the way: by this node, by a neighbour, or because a neighbour did not answer. It
 * carries the HTTP status this node answers with, and what the member is told.
 */
export class NodeRefusal extends Error {
  override name = "NodeRefusal";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 503,
    message: string,
    /** Set when the node on the payer's side does not hold the transaction: it can never complete. */
    readonly isUnknownOnPayerSide = false,
    /** Which of the payer's limits a proposal would pass (BALANCE_FLOOR, TRADE_LIMIT), for the member's client. */
    readonly limit?: PayerLimit,
  ) {
    super(message);
  }
}

export const UNREACHABLE =
  "A hub on the way to the other member did not answer in time; nothing moved. Try again later.";

export interface NeighbourAnswer {
  body: unknown;
  trace: string | undefined;
}

/** Calls one route of a neighbouring node with this node's name and key; a refusal or silence throws NodeRefusal. */
async function call(
  node: NodeConfig,
  neighbour: Neighbour,
  method: "POST" | "PATCH",
  route: string,
  trace: string,
  body?: unknown,
): Promise<NeighbourAnswer> {
  let response: Response;
  try {
    response = await fetch(new URL(route, neighbour.url), {
      method,
      headers: {
        "content-type": "application/json",
        [CC_NODE_HEADER]: node.name,
        [CC_AUTH_HEADER]: neighbour.key,
        [CC_TRACE_HEADER]: trace,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(node.relayTimeoutMs),
    });
  } catch {
    throw new NodeRefusal(503, UNREACHABLE);
  }
  const text = await response.text().catch(() => "");
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: treated as no answer below.
  }
  if (response.status === 200 || response.status === 201)
    return { body: parsed, trace: response.headers.get(CC_TRACE_HEADER) ?? undefined };
  const refusal = ccErrorSchema.safeParse(parsed);
  const message = refusal.success ? refusal.data.errors[0] : UNREACHABLE;
  const status = [400, 403, 404, 409].includes(response.status) ? (response.status as 400 | 403 | 404 | 409) : 503;
  // A neighbour refusing our credentials is the operators' problem, not the member's input.
  if (response.status === 401) throw new NodeRefusal(503, UNREACHABLE);
  throw new NodeRefusal(status, message);
}

export function relayTransaction(node: NodeConfig, neighbour: Neighbour, transaction: CcTransaction, trace: string) {
  return call(node, neighbour, "POST", "transaction/relay", trace, transaction);
}

export function changeTransactionState(
  node: NodeConfig,
  neighbour: Neighbour,
  uuid: string,
  state: "completed" | "erased",
  trace: string,
) {
  return call(node, neighbour, "PATCH", `transaction/${uuid}/${state}`, trace);
}
