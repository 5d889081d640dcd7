import type { DataSource } from "typeorm";
import type { Membership } from "@rhizome/kit";
import { acceptSisterLink as acceptAction } from "../../src/actions/accept-sister-link.js";
import { sisterExchangeDecisions } from "../../src/actions/decide-sister-exchange.js";
import { endSisterLink as endAction } from "../../src/actions/end-sister-link.js";
import { proposeSisterExchange as proposeExchangeAction } from "../../src/actions/propose-sister-exchange.js";
import { proposeSisterLink as proposeLinkAction } from "../../src/actions/propose-sister-link.js";
import type { ExchangeAction } from "../../src/domain/exchanges.js";
import type { SisterExchange, SisterLink } from "../../src/store/sisters.js";
import { actionContext } from "./actions.js";

// The service's own sister actions, called as the member or organizer a test names, at the instant it names.

export function proposeSisterLink(
  db: DataSource,
  proposal: { circleId: string; organizerMemberId: string; sisterCircleId: string; balanceLimitMinutes: number },
  at: Date,
): Promise<SisterLink> {
  const organizer: Membership = {
    circleId: proposal.circleId,
    memberId: proposal.organizerMemberId,
    roles: ["organizer"],
  };
  return proposeLinkAction(
    actionContext(db, [organizer], () => at),
    {
      circleId: proposal.circleId,
      sisterCircleId: proposal.sisterCircleId,
      balanceLimitMinutes: proposal.balanceLimitMinutes,
    },
  );
}

export function acceptSisterLink(db: DataSource, linkId: string, organizer: Membership, at: Date): Promise<SisterLink> {
  return acceptAction(
    actionContext(db, [organizer], () => at),
    { circleId: organizer.circleId, linkId },
  );
}

export function endSisterLink(
  db: DataSource,
  linkId: string,
  organizer: Membership,
  clock: () => Date,
): Promise<SisterLink> {
  return endAction(actionContext(db, [organizer], clock), { circleId: organizer.circleId, linkId });
}

export function proposeSisterExchange(
  db: DataSource,
  proposal: {
    circleId: string;
    memberId: string;
    listingId: string;
    minutes: number;
    skill: string | null;
    note: string;
    idempotencyKey?: string | null;
  },
  at: Date,
): Promise<SisterExchange> {
  const member: Membership = { circleId: proposal.circleId, memberId: proposal.memberId, roles: [] };
  return proposeExchangeAction(
    actionContext(db, [member], () => at),
    proposal,
  );
}

export function decideSisterExchange(
  db: DataSource,
  decision: { exchangeId: string; action: ExchangeAction; memberships: readonly Membership[]; clock: () => Date },
): Promise<SisterExchange> {
  const context = actionContext(db, decision.memberships, decision.clock);
  return sisterExchangeDecisions[decision.action](context, { exchangeId: decision.exchangeId });
}
