import { timingSafeEqual } from "node:crypto";
import type { Express, NextFunction, Request, Response } from "express";
import express from "express";
import { cycleContaining, type ServiceRuntime } from "@rhizome/kit";
import type { BarterConfig } from "../config.js";
import { sideOfNeighbour, traceBack, type Side } from "../domain/credit-commons.js";
import { sideActivity } from "../store/credit-commons.js";
import { NodeRefusal } from "./client.js";
import {
  CC_AUTH_HEADER,
  CC_NODE_HEADER,
  CC_TRACE_HEADER,
  ccDestinationStateSchema,
  ccTransactionSchema,
} from "./messages.js";
import { acceptRelayedTransaction, completeTransaction, eraseTransaction, type NodeDeps } from "./node.js";
import { neighbourOnSide, nodeConfigOf, type NodeConfig } from "./node-config.js";

/** Where the node's protocol routes are mounted on the barter service (and proxied by an operator's edge). */
export const CC_ROUTES_PATH = "/cc";
const MAX_MESSAGE_BYTES = "16kb";

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const refuse = (response: Response, status: number, message: string) =>
  response.status(status).json({ errors: [message] });

type RouteWork = (request: Request, response: Response, side: Side) => Promise<void>;
type Handle = (work: RouteWork) => (request: Request, response: Response) => void;

const traceOf = (request: Request) => request.header(CC_TRACE_HEADER) || undefined;

/** Only a neighbour, named in `cc-node` with the key the two operators agreed in `cc-auth`, passes; its side is noted. */
function neighbourGate(node: NodeConfig) {
  return (request: Request, response: Response, next: NextFunction) => {
    const name = request.header(CC_NODE_HEADER) ?? "";
    const key = request.header(CC_AUTH_HEADER) ?? "";
    const side = sideOfNeighbour(name, node);
    const neighbour = side && neighbourOnSide(node, side);
    if (!side || !neighbour || !sameText(key, neighbour.key)) {
      refuse(
        response,
        401,
        "Unknown node or wrong key: send this node's neighbour name in cc-node and your agreed key in cc-auth.",
      );
      return;
    }
    response.locals.side = side;
    next();
  };
}

/** Runs a route's work and answers its refusal, a retryable lock conflict, or a failure that moved nothing. */
function handlerFor(runtime: ServiceRuntime<BarterConfig>): Handle {
  return (work) => (request, response) => {
    work(request, response, response.locals.side as Side).catch((error: unknown) => {
      if (error instanceof NodeRefusal) return refuse(response, error.status, error.message);
      const code = (error as { code?: string }).code;
      // A lock wait that timed out or a serialization failure: the same request again may pass.
      if (code === "55P03" || code === "40001" || code === "40P01")
        return refuse(response, 409, "This node is busy with the same accounts; try again.");
      runtime.logger.error({ err: error }, "credit commons route failed");
      return refuse(response, 500, "This node failed to handle the request; nothing moved here.");
    });
  };
}

/** Welcome, relay a transaction, change its state. */
function mountTransactionRoutes(router: express.Router, deps: NodeDeps, handle: Handle): void {
  const { node } = deps;
  router.get(
    "/",
    handle(async (request, response) => {
      response.setHeader(CC_TRACE_HEADER, traceBack(traceOf(request), node.name));
      response.status(200).json({ message: `Welcome to the Credit Commons node ${node.path.join("/")}.` });
    }),
  );

  router.post(
    "/transaction/relay",
    handle(async (request, response, side) => {
      const message = ccTransactionSchema.safeParse(request.body);
      if (!message.success)
        throw new NodeRefusal(400, `Not a transaction message: ${message.error.issues[0]?.message}.`);
      const { body, trace } = await acceptRelayedTransaction(deps, side, message.data, traceOf(request));
      response.setHeader(CC_TRACE_HEADER, trace);
      response.status(201).json(body);
    }),
  );

  router.patch(
    "/transaction/:uuid/:state",
    handle(async (request, response, side) => {
      const uuid = String(request.params.uuid);
      const state = ccDestinationStateSchema.safeParse(request.params.state);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid))
        throw new NodeRefusal(400, "A transaction is named by its uuid.");
      if (!state.success || state.data === "pending")
        throw new NodeRefusal(400, "A neighbour may move a transaction to completed or erased.");
      let trace: string;
      if (state.data === "completed") {
        trace = (await completeTransaction(deps, uuid, { side }, traceOf(request))).trace;
      } else {
        await eraseTransaction(deps, uuid, { side }, traceOf(request));
        trace = traceBack(traceOf(request), node.name);
      }
      response.setHeader(CC_TRACE_HEADER, trace);
      response.status(201).end();
    }),
  );
}

/** An account's summary and history: only the account this node keeps for the neighbour asking. */
function mountAccountRoutes(
  router: express.Router,
  runtime: ServiceRuntime<BarterConfig>,
  node: NodeConfig,
  handle: Handle,
): void {
  /** A neighbour may read only the account this node keeps for it: its own balance of trade with this node. */
  const ownAccountOf = (request: Request, side: Side): Side => {
    const path = String(request.query.acc_path ?? "");
    const expected =
      side === "trunkward" ? node.path.slice(0, -1).join("/") : [...node.path, side.slice("branch:".length)].join("/");
    if (path !== expected)
      throw new NodeRefusal(
        403,
        `This node discloses to a neighbour only the account it keeps for that neighbour (acc_path=${expected}); members' accounts stay on their hub.`,
      );
    return side;
  };

  router.get(
    "/account",
    handle(async (request, response, side) => {
      const account = ownAccountOf(request, side);
      const now = runtime.clock();
      const { entries, pendingMinutes } = await sideActivity(runtime.db, account, cycleContaining(now).label);
      const grossIn = entries.filter((e) => e.amountMinutes > 0).reduce((sum, e) => sum + e.amountMinutes, 0);
      const grossOut = entries.filter((e) => e.amountMinutes < 0).reduce((sum, e) => sum - e.amountMinutes, 0);
      response.setHeader(CC_TRACE_HEADER, traceBack(traceOf(request), node.name));
      response.status(200).json({
        trades: entries.length,
        entries: entries.length,
        gross_in: grossIn,
        gross_out: grossOut,
        partners: entries.length > 0 ? 1 : 0,
        pending: pendingMinutes,
        balance: grossIn - grossOut,
      });
    }),
  );

  router.get(
    "/account/history",
    handle(async (request, response, side) => {
      const account = ownAccountOf(request, side);
      const now = runtime.clock();
      const { entries } = await sideActivity(runtime.db, account, cycleContaining(now).label);
      const data: Record<string, number> = {};
      let balance = 0;
      let min = 0;
      let max = 0;
      for (const entry of entries) {
        balance += entry.amountMinutes;
        data[entry.at.toISOString().slice(0, 19).replace("T", " ")] = balance;
        min = Math.min(min, balance);
        max = Math.max(max, balance);
      }
      const times = Object.keys(data);
      const cycleStart = cycleContaining(now).startsAt.toISOString().slice(0, 19).replace("T", " ");
      response.setHeader(CC_TRACE_HEADER, traceBack(traceOf(request), node.name));
      response.status(200).json({
        data,
        meta: {
          min,
          max,
          points: times.length,
          start: times[0] ?? cycleStart,
          end: times[times.length - 1] ?? cycleStart,
        },
      });
    }),
  );
}

/**
 * The Credit Commons protocol's node routes under /cc/: welcome, relay a transaction, change its
 * state, an account's summary and history. Only neighbouring nodes call them, each with its name
 * in `cc-node` and the key the two operators agreed in `cc-auth`; answers carry `cc-node-trace`.
 */
export function mountCreditCommonsNode(app: Express, runtime: ServiceRuntime<BarterConfig>): void {
  const node = nodeConfigOf(runtime.config);
  if (!node) {
    app.use(CC_ROUTES_PATH, (_request: Request, response: Response) => {
      refuse(response, 404, "This hub is not a Credit Commons node: its operator has not grafted it onto a tree.");
    });
    return;
  }
  const deps: NodeDeps = { node, db: runtime.db, clock: runtime.clock, eventsEmitted: () => runtime.eventsEmitted() };
  const router = express.Router();
  router.use(neighbourGate(node));
  router.use(express.json({ limit: MAX_MESSAGE_BYTES }));
  const handle = handlerFor(runtime);
  mountTransactionRoutes(router, deps, handle);
  mountAccountRoutes(router, runtime, node, handle);
  app.use(CC_ROUTES_PATH, router);
}
