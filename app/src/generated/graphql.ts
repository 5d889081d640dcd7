/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddAgendaItemInput = {
  assemblyId: string | number;
  /** 1 to 1000 characters. */
  text: string;
};

export type AddToolInput = {
  circleId: string | number;
  /** 1 to 80 characters. */
  name: string;
  /** Up to 40 characters, e.g. "garden". */
  category: string;
  /** Up to 2000 characters. */
  description?: string | null | undefined;
  /** Up to 2000 characters. */
  safetyNotes?: string | null | undefined;
  /** Default GOOD. */
  condition?: ToolCondition | null | undefined;
  /** A geohash of at most 6 characters (block level); finer is refused. */
  locationCell?: string | null | undefined;
};

/** SUBMITTED: received by a shadow assembly whose agenda has not closed (what its submitter sees). PUBLISHED: on the agenda members read. */
export type AgendaItemState =
  | 'SUBMITTED'
  | 'PUBLISHED';

export type AlertKind =
  | 'EVICTION'
  | 'RAID'
  | 'ARREST'
  | 'MEDICAL'
  | 'OTHER';

export type AlertStatus =
  | 'OPEN'
  | 'VERIFIED'
  | 'FALSE_ALARM'
  | 'EXPIRED';

/** How fast the alert must reach people; also how long it stays open. */
export type AlertUrgency =
  | 'LOW'
  | 'HIGH'
  | 'CRITICAL';

export type AmendmentInput = {
  /** The article to change; omit for a new article. */
  articleId?: string | number | null | undefined;
  /** 1 to 200 characters. */
  title: string;
  /** 1 to 10000 characters. */
  text: string;
};

export type AnnounceSkillShareInput = {
  circleId: string | number;
  skill: string;
  startsAt: string;
  /** Block level at most: a geohash of up to 6 characters. */
  placeGeohash: string;
  capacity: number;
  /** Minutes each attendee's exchange with you records. */
  minutes: number;
};

/** SHADOW: any member submits to its agenda, edge members' items are published when the agenda closes. COMMONS: the monthly assembly of reflection, one per cycle. */
export type AssemblyKind =
  | 'SHADOW'
  | 'COMMONS';

export type AuditInput = {
  toolId: string | number;
  condition: ToolCondition;
  /** Up to 2000 characters. */
  notes?: string | null | undefined;
  /** Up to 100 characters. Sending the same audit again with the same key (a phone's outbox after a lost answer) returns the record the first attempt made and records nothing more. */
  idempotencyKey?: string | null | undefined;
};

/** Self-declared bloc, visible only to the member: EDGE (facing the sharpest coercion) or ADVANTAGED. */
export type Bloc =
  | 'EDGE'
  | 'ADVANTAGED';

/** A steward team or an assembly. */
export type BodyKind =
  | 'STEWARD_TEAM'
  | 'ASSEMBLY';

export type ChangeMyBlocInput = {
  circleId: string | number;
  bloc: Bloc;
};

export type CommitRoleDrawSeedInput = {
  roleId: string | number;
  /** Your seed, 32 to 200 characters, e.g. 32 random hex digits made by the app. Keep it: you may reveal it after the new moon. */
  seed: string;
};

/** How a responder is reached besides the in-app inbox; INBOX means the inbox only. */
export type ContactKind =
  | 'INBOX'
  | 'SMS'
  | 'SIGNAL'
  | 'EMAIL';

export type CreateAssemblyInput = {
  circleId: string | number;
  kind: AssemblyKind;
  /** 1 to 200 characters. */
  title: string;
  meetsAt?: string | null | undefined;
};

export type CreateProposalInput = {
  bodyId: string | number;
  /** 1 to 200 characters. */
  title: string;
  /** 1 to 10000 characters. */
  text: string;
  /** When voting closes and the outcome is computed. */
  closesAt: string;
  /** Makes the proposal an amendment of the constitution. */
  amendment?: AmendmentInput | null | undefined;
};

/** How a body's proposals are decided; written out in services/governance/README.md. */
export type DecisionRule =
  | 'CONSENT'
  | 'CONSENSUS'
  | 'CONSENSUS_MINUS_ONE'
  | 'MAJORITY';

/** What a disbursement pays for; totals are published per purpose. */
export type DisbursementPurpose =
  | 'RENT'
  | 'LEGAL'
  | 'BAIL'
  | 'MEDICAL'
  | 'FOOD'
  | 'TRAVEL'
  | 'OTHER';

/** GATHERING: witnesses commit during the cycle. DRAWN: frozen at the new moon with three witnesses or more. CARRIED_OVER: frozen with fewer; nobody was drawn and the holders still seated kept the role. */
export type DrawStatus =
  | 'GATHERING'
  | 'DRAWN'
  | 'CARRIED_OVER';

/** PENDING until the other party confirms or declines, or the proposer cancels; EXPIRED when the cycle ends first. */
export type ExchangeStatus =
  | 'PENDING'
  | 'CONFIRMED'
  | 'DECLINED'
  | 'CANCELLED'
  | 'EXPIRED';

/** PROPOSED until the other member confirms or declines, or the proposer cancels. */
export type HandOffStatus =
  | 'PROPOSED'
  | 'CONFIRMED'
  | 'DECLINED'
  | 'CANCELLED'
  | 'LAPSED';

export type JoinCircleInput = {
  code: string;
  handle: string;
  passphrase: string;
  bloc: Bloc;
};

export type JoinRespondersInput = {
  circleId: string | number;
  branchId: string | number;
  contactKind: ContactKind;
  /** Phone number, Signal name or e-mail; stored encrypted. Omit for INBOX. */
  contact?: string | null | undefined;
  shifts?: Array<ResponderShiftInput>;
};

/** OFFER: what a member can give. REQUEST: what a member needs. */
export type ListingKind =
  | 'OFFER'
  | 'REQUEST';

export type LoginInput = {
  circleSlug: string;
  handle: string;
  passphrase: string;
};

export type MaintenanceKind =
  | 'AUDIT'
  | 'REPAIR';

/** EN: English; ES: Spanish. */
export type NewsletterLanguage =
  | 'EN'
  | 'ES';

/** Computed when voting closes, never typed in. */
export type Outcome =
  | 'PASSED'
  | 'REJECTED'
  | 'NO_QUORUM'
  | 'OUT_OF_COMPOSITION';

export type PactStatus =
  | 'ACTIVE'
  | 'LAPSED';

export type PledgeHousingInput = {
  circleId: string | number;
  /** People you can host at once, 1 to 20. */
  capacity: number;
  /** YYYY-MM-DD */
  availableFrom: string;
  /** YYYY-MM-DD */
  availableUntil: string;
  acceptsChildren: boolean;
  acceptsPets: boolean;
  isStepFree: boolean;
  /** Optional area, a geohash of at most 6 characters; never an address. */
  area?: string | null | undefined;
  /** How a guest reaches you once both accepted; stored encrypted. */
  contact: string;
};

export type PledgeInput = {
  circleId: string | number;
  /** Minor units (cents). */
  amountMinor: number;
  /** ISO 4217, e.g. EUR. */
  currency: string;
};

/** AMENDMENT changes the circle's constitution when it passes. */
export type ProposalKind =
  | 'ORDINARY'
  | 'AMENDMENT';

export type ProposalStatus =
  | 'OPEN'
  | 'CLOSED';

export type ProposeExchangeInput = {
  /** The circle both parties belong to. */
  circleId: string | number;
  providerMemberId: string | number;
  receiverMemberId: string | number;
  /** Minutes given, 1 to 1440. */
  minutes: number;
  skill: string;
  /** Up to 280 characters. */
  note?: string | null | undefined;
  /** Up to 100 characters. Retrying with the same key returns the exchange the first attempt made. */
  idempotencyKey?: string | null | undefined;
};

export type ProposeSisterExchangeInput = {
  /** Your circle. */
  circleId: string | number;
  /** A listing a member of a sister circle showed to sisters. */
  listingId: string | number;
  /** Minutes given, 1 to 1440. */
  minutes: number;
  /** One of the listing's skills; its first by default. */
  skill?: string | null | undefined;
  /** Up to 280 characters. */
  note?: string | null | undefined;
  /** Up to 100 characters. Retrying with the same key returns the sister exchange the first attempt made, as for `proposeExchange`. */
  idempotencyKey?: string | null | undefined;
};

export type PublishListingInput = {
  circleId: string | number;
  kind: ListingKind;
  /** 1 to 8 skills of up to 40 characters; normalised to e.g. `bike-repair`. */
  skills: Array<string>;
  /** Up to 500 characters. */
  description: string;
  /** Show it to members of active sister circles too, without saying who published it. Default false. */
  visibleToSisters?: boolean | null | undefined;
};

export type PublishTutorialInput = {
  /** The circle publishing it. */
  circleId: string | number;
  /** 1 to 120 characters. */
  title: string;
  /** Markdown, up to 20000 characters; raw HTML is shown as text. */
  markdown: string;
  /** 1 to 5 tool categories. */
  categories: Array<string>;
  /** Up to 30 steps, each markdown. */
  steps?: Array<string> | null | undefined;
};

export type RaiseAlertInput = {
  circleId: string | number;
  kind: AlertKind;
  /** Block-level place: a geohash of at most 6 characters. */
  place: string;
  urgency: AlertUrgency;
  /** 1 to 280 characters; stored encrypted. */
  text: string;
};

export type RecordMinutesInput = {
  assemblyId: string | number;
  /** 1 to 20000 characters. */
  minutes: string;
};

export type RecordSovereigntyEventInput = {
  circleId: string | number;
  /** MEAL_SHARED, POLICE_CALL_AVOIDED or SABBATH_NEED_MET; the others come from the services. */
  kind: SovereigntyEventKind;
  /** 1 to 500. */
  count: number;
  /** The cycle it happened in (its label); default the current one. Up to 3 cycles back. It counts there while that cycle's figures are unpublished, otherwise in the first cycle not yet published (published figures never change); the returned event's `cycle` says which. */
  cycle?: string | null | undefined;
  /** Any string you choose, 1 to 100 characters (a UUID does): sending the same record again (a retry) records it once. */
  idempotencyKey?: string | number | null | undefined;
};

export type ReflectionKind =
  | 'FAILURE'
  | 'WIN'
  | 'TENSION';

/** Your side of an exchange with another hub. */
export type RemoteExchangeRole =
  | 'PAYER'
  | 'PAYEE';

/** PENDING until the payee confirms on their hub; COMPLETED once every ledger on the way recorded it; ERASED when declined or cancelled; LAPSED when the new moon came first (nothing moved). */
export type RemoteExchangeStatus =
  | 'PENDING'
  | 'COMPLETED'
  | 'ERASED'
  | 'LAPSED';

export type RepairInput = {
  toolId: string | number;
  /** Minutes of work, 1 to 1440. */
  minutes: number;
  /** Up to 500 characters. */
  parts?: string | null | undefined;
  /** Up to 2000 characters. */
  notes?: string | null | undefined;
  /** The barter exchange that paid the repair in hours, if any. */
  exchangeId?: string | number | null | undefined;
  /** NEW, GOOD or WORN; default GOOD. */
  conditionAfter?: ToolCondition | null | undefined;
  /** Up to 100 characters. Sending the same repair again with the same key (a phone's outbox after a lost answer) returns the record the first attempt made and records nothing more. */
  idempotencyKey?: string | null | undefined;
};

export type RequestDisbursementInput = {
  circleId: string | number;
  /** Minor units (cents). */
  amountMinor: number;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  purpose: DisbursementPurpose;
  /** A short reason, 1 to 500 characters; stored encrypted, read by the fund's stewards only. */
  reason: string;
};

export type RequestHousingInput = {
  circleId: string | number;
  people: number;
  /** YYYY-MM-DD */
  neededFrom: string;
  /** YYYY-MM-DD */
  neededUntil: string;
  withChildren: boolean;
  withPets: boolean;
  needsStepFree: boolean;
  /** How the host reaches you once both accepted; stored encrypted. */
  contact: string;
};

export type ReratifyPactInput = {
  pactId: string | number;
  /** A new passed proposal of the same body. */
  proposalId: string | number;
  sunsetAt: string;
};

/** WAITING in the queue; FULFILLED when the tool reached the member; CANCELLED. */
export type ReservationStatus =
  | 'WAITING'
  | 'FULFILLED'
  | 'CANCELLED';

export type ResponderShiftInput = {
  weekday: number;
  startMinute: number;
  endMinute: number;
};

export type RespondInput = {
  proposalId: string | number;
  response: ResponseKind;
  /** Required with OBJECT and VETO; at most 1000 characters. */
  reason?: string | null | undefined;
};

export type ResponseKind =
  | 'CONSENT'
  | 'STAND_ASIDE'
  | 'OBJECT'
  | 'VETO';

export type RevealDrawSeedInput = {
  drawId: string | number;
  seed: string;
};

/** A member's role in one circle. */
export type Role =
  | 'MEMBER'
  | 'STEWARD'
  | 'ORGANIZER';

export type RoleStatus =
  | 'ACTIVE'
  | 'COMPOSTED';

/** The kind of seat a member's private, self-declared bloc gives them. Only the member sees their own. */
export type SeatKind =
  | 'EDGE'
  | 'ADVANTAGED';

/** What an hour given and a tool lent would have cost your circle's members in money. */
export type SetSovereigntyRatesInput = {
  circleId: string | number;
  /** ISO 4217 code in capitals, e.g. "EUR". */
  currency: string;
  /** One hour, in minor units (cents for EUR), 0 to 1000000. */
  hourValueMinor: number;
  /** One loan of a tool, in minor units, 0 to 10000000. */
  loanValueMinor: number;
};

/** Whether you give the time or receive it. */
export type SisterExchangeRole =
  | 'PROVIDER'
  | 'RECEIVER';

/** A need met without a coercive intermediary. */
export type SovereigntyEventKind =
  /** Hours given and received instead of bought (barter). */
  | 'EXCHANGE'
  /** A tool lent instead of bought (tools). */
  | 'LOAN'
  /** A dispute resolved by mediation instead of the police (defense). Replaced a command. */
  | 'MEDIATION'
  /** A crisis carried by the fund or a housing pledge instead of a lender or a landlord (defense). Replaced a command. */
  | 'CRISIS_BUFFERED'
  /** A member's debt annulled at the new moon instead of collected (barter); counted in the cycle that new moon began. Replaced a command. */
  | 'DEBTS_ANNULLED'
  /** A consensual agreement that replaced a command (governance). Replaced a command. */
  | 'COMMAND_REPLACED'
  /** A meal shared (recorded by hand). */
  | 'MEAL_SHARED'
  /** A police call avoided because neighbours handled it (recorded by hand). Replaced a command. */
  | 'POLICE_CALL_AVOIDED'
  /** A need met at a no-state sabbath (recorded by hand). */
  | 'SABBATH_NEED_MET';

/** A published figure of a circle's cycle. */
export type SovereigntyMetric =
  /** Every sovereignty event of the cycle. */
  | 'SOVEREIGNTY_EVENTS'
  /** Events that replaced a command: mediations, crises buffered, debts annulled, agreements that replaced a command, police calls avoided. */
  | 'COMMANDS_DISPLACED'
  /** Commands displaced per active member. */
  | 'COMMAND_DISPLACEMENT_PER_CAPITA'
  /** Members who took part in an exchange or a loan. */
  | 'ACTIVE_MEMBERS'
  /** Minutes of time given and received. */
  | 'MINUTES_EXCHANGED'
  /** Confirmed exchanges. */
  | 'EXCHANGES'
  /** Completed loans. */
  | 'LOANS'
  /** Disputes mediated. */
  | 'MEDIATIONS'
  /** Crises buffered by the fund or a housing pledge. */
  | 'CRISES_BUFFERED'
  /** Members whose debts were annulled at the new moon instead of collected. */
  | 'DEBTS_ANNULLED'
  /** Minutes of debt annulled at the new moon, the debts of at least 5 members. */
  | 'MINUTES_OF_DEBT_ANNULLED'
  /** Agreements that replaced a command. */
  | 'COMMANDS_REPLACED'
  /** Meals shared. */
  | 'MEALS_SHARED'
  /** Police calls avoided. */
  | 'POLICE_CALLS_AVOIDED'
  /** Needs met at a no-state sabbath. */
  | 'SABBATH_NEEDS_MET';

/** A handle, a street, a shop: anything in the story that could point at someone, and what to say instead. */
export type StoryReplacementInput = {
  text: string;
  /** What to say instead, e.g. "a neighbour"; empty: the text is removed. */
  replaceWith?: string | null | undefined;
};

export type StoryStatus =
  /** Waiting for a steward's review. */
  | 'AWAITING_REVIEW'
  /** Approved by a steward, with the teller's consent: public. */
  | 'PUBLISHED'
  /** A steward declined it; it is never shown. */
  | 'DECLINED'
  /** The teller has not given consent, or withdrew it; it is not shown. */
  | 'WITHOUT_CONSENT';

export type SubmitStoryInput = {
  circleId: string | number;
  /** Up to 120 characters. */
  title: string;
  /** Up to 4000 characters. */
  body: string;
  /** Applied before the story is stored: the words replaced are never kept. Up to 50. */
  replacements: Array<StoryReplacementInput>;
  /** Whether you consent to publication once a steward approves. You may change it at any time. */
  consentsToPublication: boolean;
};

/** NEEDS_REPAIR tools are not lent until a repair is recorded; RETIRED tools are never lent again. */
export type ToolCondition =
  | 'NEW'
  | 'GOOD'
  | 'WORN'
  | 'NEEDS_REPAIR'
  | 'RETIRED';

/** LOAN_OVERDUE, then LOAN_STILL_OVERDUE one interval later (to the borrower), then CARETAKERS_LOAN_OVERDUE (to the cycle's caretakers); TOOL_RETIRED to each member whose reservation closed because its tool was retired. */
export type ToolNotificationKind =
  | 'LOAN_OVERDUE'
  | 'LOAN_STILL_OVERDUE'
  | 'CARETAKERS_LOAN_OVERDUE'
  | 'TOOL_RETIRED';

export type ToolSearchInput = {
  category?: string | null | undefined;
  /** Words the name, category or description contain. */
  words?: string | null | undefined;
  /** true: only tools that can be borrowed at once; false: only those that cannot. */
  isAvailable?: boolean | null | undefined;
  /** Include retired tools; default false. */
  includeRetired?: boolean | null | undefined;
};

export type CycleHistoryQueryVariables = Exact<{
  slug: string;
  circleId: string | number;
  cycle: string;
}>;


export type CycleHistoryQuery = { circle: { id: string, barterSummary: { cycle: string, startsAt: string, endsAt: string, isClosed: boolean, previousCycle: string, minutesExchanged: number | null, exchangeCount: number | null, participantCount: number | null, mostRequestedSkills: Array<string>, mostOfferedSkills: Array<string>, theme: string | null } | null } | null, exchanges: { items: Array<{ id: string, minutes: number, skill: string, status: ExchangeStatus, proposedAt: string, provider: { id: string, handle: string }, receiver: { id: string, handle: string } }> } };

export type SkillSharesQueryVariables = Exact<{
  slug: string;
}>;


export type SkillSharesQuery = { circle: { id: string, cycleTheme: { cycle: string, theme: string, skills: Array<string> } | null, skillShares: { items: Array<{ id: string, skill: string, startsAt: string, placeGeohash: string, capacity: number, minutes: number, placesTaken: number, waitingCount: number, host: { id: string, handle: string }, yourStanding: { hasPlace: boolean, waitingPosition: number | null } | null }> } | null } | null };

export type AnnounceSkillShareMutationVariables = Exact<{
  input: AnnounceSkillShareInput;
}>;


export type AnnounceSkillShareMutation = { announceSkillShare: { id: string, skill: string } };

export type SignUpForSkillShareMutationVariables = Exact<{
  skillShareId: string | number;
}>;


export type SignUpForSkillShareMutation = { signUpForSkillShare: { id: string, placesTaken: number, waitingCount: number, yourStanding: { hasPlace: boolean, waitingPosition: number | null } | null } };

export type ListingsQueryVariables = Exact<{
  slug: string;
  kind?: ListingKind | null | undefined;
  text?: string | null | undefined;
}>;


export type ListingsQuery = { circle: { id: string, listings: { items: Array<{ id: string, kind: ListingKind, skills: Array<string>, description: string, publishedAt: string, member: { id: string, handle: string } }> } | null } | null };

export type PublishListingMutationVariables = Exact<{
  input: PublishListingInput;
}>;


export type PublishListingMutation = { publishListing: { id: string, kind: ListingKind, skills: Array<string>, description: string } };

export type CircleMembersQueryVariables = Exact<{
  slug: string;
}>;


export type CircleMembersQuery = { circle: { id: string, members: { items: Array<{ id: string, handle: string }> } | null } | null };

export type MyExchangesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyExchangesQuery = { exchanges: { items: Array<{ id: string, minutes: number, skill: string, note: string, status: ExchangeStatus, proposedAt: string, provider: { id: string, handle: string }, receiver: { id: string, handle: string }, proposer: { id: string, handle: string } }> } };

export type ProposeExchangeMutationVariables = Exact<{
  input: ProposeExchangeInput;
}>;


export type ProposeExchangeMutation = { proposeExchange: { id: string, status: ExchangeStatus } };

export type ConfirmExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type ConfirmExchangeMutation = { confirmExchange: { id: string, status: ExchangeStatus } };

export type DeclineExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type DeclineExchangeMutation = { declineExchange: { id: string, status: ExchangeStatus } };

export type CancelExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type CancelExchangeMutation = { cancelExchange: { id: string, status: ExchangeStatus } };

export type CaretakingQueryVariables = Exact<{
  slug: string;
}>;


export type CaretakingQuery = { circle: { id: string, viewerRoles: Array<Role>, isCaretakerVolunteer: boolean | null, caretakers: { cycle: string, drawId: string | null, wasCarriedOver: boolean, caretakers: Array<{ id: string, handle: string }> } | null, nextCaretakerDraw: { id: string, status: string, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string }> } | null, tools: { items: Array<{ id: string, name: string, condition: ToolCondition, needsAudit: boolean, maintenance: { items: Array<{ id: string, kind: MaintenanceKind, condition: ToolCondition, minutes: number | null, recordedAt: string, recordedBy: { id: string, handle: string } }> } }> } | null } | null };

export type VolunteerAsCaretakerMutationVariables = Exact<{
  circleId: string | number;
}>;


export type VolunteerAsCaretakerMutation = { volunteerAsCaretaker: boolean };

export type WithdrawAsCaretakerMutationVariables = Exact<{
  circleId: string | number;
}>;


export type WithdrawAsCaretakerMutation = { withdrawAsCaretaker: boolean };

export type CommitCaretakerDrawSeedMutationVariables = Exact<{
  circleId: string | number;
  seed: string;
}>;


export type CommitCaretakerDrawSeedMutation = { commitCaretakerDrawSeed: { id: string, status: string, witnesses: Array<{ memberId: string, commitment: string }> } };

export type RecordAuditMutationVariables = Exact<{
  input: AuditInput;
}>;


export type RecordAuditMutation = { recordAudit: { id: string, condition: ToolCondition } };

export type RecordRepairMutationVariables = Exact<{
  input: RepairInput;
}>;


export type RecordRepairMutation = { recordRepair: { id: string, condition: ToolCondition } };

export type CaretakerDrawWitnessesQueryVariables = Exact<{
  id: string | number;
}>;


export type CaretakerDrawWitnessesQuery = { caretakerDraw: { id: string, status: string, witnesses: Array<{ memberId: string, revealedAt: string | null }> } };

export type RevealCaretakerDrawSeedMutationVariables = Exact<{
  drawId: string | number;
  seed: string;
}>;


export type RevealCaretakerDrawSeedMutation = { revealCaretakerDrawSeed: { id: string, witnesses: Array<{ memberId: string, revealedAt: string | null }> } };

export type DecisionLogQueryVariables = Exact<{
  circleId: string | number;
}>;


export type DecisionLogQuery = { decisionLog: { items: Array<{ seq: number, outcome: Outcome, rule: DecisionRule, decidedAt: string, reasons: Array<string>, hash: string, tally: { eligible: number, consent: number | null, standAside: number | null, object: number | null, veto: number | null }, proposal: { id: string, title: string, kind: ProposalKind } }> }, verifyDecisionLog: { isIntact: boolean, entriesChecked: number } };

export type RoleDrawsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type RoleDrawsQuery = { bodies: { items: Array<{ id: string, name: string, roles: Array<{ id: string, name: string, status: RoleStatus, holders: Array<{ id: string, handle: string }>, nextDraw: { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> } | null, lastDraw: { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> } | null }> }> } };

export type DrawPartsFragment = { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> };

export type DrawToCheckQueryVariables = Exact<{
  id: string | number;
}>;


export type DrawToCheckQuery = { draw: { pool: Array<string> | null, rules: string | null, commitment: string | null, drawSeed: string | null, drawnOrder: Array<string> | null, holders: Array<string> | null, frozenAt: string | null, id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> }, verifyDraw: { matches: boolean, seedsMatchCommitments: boolean, commitmentMatches: boolean, orderMatches: boolean } };

export type WitnessedDrawQueryVariables = Exact<{
  id: string | number;
}>;


export type WitnessedDrawQuery = { draw: { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> } };

export type CommitRoleDrawSeedMutationVariables = Exact<{
  input: CommitRoleDrawSeedInput;
}>;


export type CommitRoleDrawSeedMutation = { commitRoleDrawSeed: { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> } };

export type RevealDrawSeedMutationVariables = Exact<{
  input: RevealDrawSeedInput;
}>;


export type RevealDrawSeedMutation = { revealDrawSeed: { id: string, roleId: string, cycle: string, status: DrawStatus, witnessesRequired: number, witnesses: Array<{ memberId: string, commitment: string, seed: string | null, revealedAt: string | null }> } };

export type PactsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type PactsQuery = { pacts: { items: Array<{ id: string, bodyId: string, proposalId: string, title: string, status: PactStatus, sunsetAt: string, adoptedAt: string, remindedAt: string | null, lapsedAt: string | null }> } };

export type ReratifyPactMutationVariables = Exact<{
  input: ReratifyPactInput;
}>;


export type ReratifyPactMutation = { reratifyPact: { id: string, status: PactStatus, sunsetAt: string } };

export type ConstitutionQueryVariables = Exact<{
  circleId: string | number;
}>;


export type ConstitutionQuery = { constitution: { isEdgeOnly: boolean, edgeOnlyUntil: string | null, articles: Array<{ id: string, number: number, currentVersion: number, versions: Array<{ version: number, title: string, text: string, adoptedAt: string }> }> } };

export type ProposeAmendmentMutationVariables = Exact<{
  input: CreateProposalInput;
}>;


export type ProposeAmendmentMutation = { createProposal: { id: string, title: string, kind: ProposalKind, closesAt: string } };

export type AssembliesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type AssembliesQuery = { assemblies: { items: Array<{ id: string, kind: AssemblyKind, title: string, cycle: string, meetsAt: string | null, agendaClosesAt: string | null, minutes: string | null, agenda: Array<{ id: string, text: string, state: AgendaItemState }>, reflections: Array<{ id: string, kind: ReflectionKind, text: string }> }> } };

export type AddAgendaItemMutationVariables = Exact<{
  input: AddAgendaItemInput;
}>;


export type AddAgendaItemMutation = { addAgendaItem: { id: string, state: AgendaItemState } };

export type CallAssemblyMutationVariables = Exact<{
  input: CreateAssemblyInput;
}>;


export type CallAssemblyMutation = { createAssembly: { id: string } };

export type RecordMinutesMutationVariables = Exact<{
  input: RecordMinutesInput;
}>;


export type RecordMinutesMutation = { recordMinutes: { id: string, minutes: string | null } };

export type MyBlocQueryVariables = Exact<{ [key: string]: never; }>;


export type MyBlocQuery = { me: { memberships: Array<{ id: string, bloc: Bloc | null, pendingBloc: Bloc | null, blocChangesAt: string | null, circle: { id: string } }> } };

export type ChangeMyBlocMutationVariables = Exact<{
  input: ChangeMyBlocInput;
}>;


export type ChangeMyBlocMutation = { changeMyBloc: { id: string, bloc: Bloc | null, pendingBloc: Bloc | null, blocChangesAt: string | null } };

export type DefenseOverviewQueryVariables = Exact<{
  circleId: string | number;
}>;


export type DefenseOverviewQuery = { solidarityAgreement: { version: number, text: string, publishedAt: string, signedByMe: boolean } | null, myResponder: { id: string, branchId: string } | null, responderBranches: Array<{ id: string, name: string }> };

export type SignAgreementMutationVariables = Exact<{
  circleId: string | number;
  version: number;
}>;


export type SignAgreementMutation = { signAgreement: { version: number, signedByMe: boolean } };

export type JoinRespondersMutationVariables = Exact<{
  input: JoinRespondersInput;
}>;


export type JoinRespondersMutation = { joinResponders: { id: string, branchId: string } };

export type RaiseAlertMutationVariables = Exact<{
  input: RaiseAlertInput;
}>;


export type RaiseAlertMutation = { raiseAlert: { id: string, kind: AlertKind, status: AlertStatus, raisedAt: string } };

export type AlertToAnswerFragment = { id: string, kind: AlertKind, place: string, urgency: AlertUrgency, status: AlertStatus, text: string, raisedAt: string, raisedByMe: boolean, verifications: number, calls: Array<{ step: number, responderId: string, calledAt: string, acknowledgedAt: string | null }> };

export type ResponderAlertsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type ResponderAlertsQuery = { defenseAlerts: { items: Array<{ id: string, kind: AlertKind, place: string, urgency: AlertUrgency, status: AlertStatus, text: string, raisedAt: string, raisedByMe: boolean, verifications: number, calls: Array<{ step: number, responderId: string, calledAt: string, acknowledgedAt: string | null }> }> } };

export type ResponderAlertQueryVariables = Exact<{
  alertId: string | number;
}>;


export type ResponderAlertQuery = { defenseAlert: { id: string, kind: AlertKind, place: string, urgency: AlertUrgency, status: AlertStatus, text: string, raisedAt: string, raisedByMe: boolean, verifications: number, calls: Array<{ step: number, responderId: string, calledAt: string, acknowledgedAt: string | null }> } };

export type AcknowledgeAlertMutationVariables = Exact<{
  alertId: string | number;
}>;


export type AcknowledgeAlertMutation = { acknowledgeAlert: { id: string, status: AlertStatus, calls: Array<{ step: number, responderId: string, acknowledgedAt: string | null }> } };

export type VerifyAlertMutationVariables = Exact<{
  alertId: string | number;
}>;


export type VerifyAlertMutation = { verifyAlert: { id: string, status: AlertStatus, verifications: number } };

export type HearingsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type HearingsQuery = { hearings: Array<{ id: string, startsAt: string, place: string, companionsNeeded: number, isShortOfCompanions: boolean, shifts: Array<{ id: string, startsAt: string, endsAt: string, companions: number, isSignedUpByMe: boolean }> }> };

export type SignUpForShiftMutationVariables = Exact<{
  shiftId: string | number;
}>;


export type SignUpForShiftMutation = { signUpForShift: { id: string, shifts: Array<{ id: string, companions: number, isSignedUpByMe: boolean }> } };

export type MyHousingQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyHousingQuery = { myHousingMatches: Array<{ id: string, people: number, status: string, hostAccepted: boolean, guestAccepted: boolean, amHost: boolean, counterpartContact: string | null }> };

export type PledgeHousingMutationVariables = Exact<{
  input: PledgeHousingInput;
}>;


export type PledgeHousingMutation = { pledgeHousing: { id: string, capacity: number, availableFrom: string, availableUntil: string } };

export type RequestHousingMutationVariables = Exact<{
  input: RequestHousingInput;
}>;


export type RequestHousingMutation = { requestHousing: { id: string, people: number, neededFrom: string, neededUntil: string, status: string } };

export type HousingSuggestionsQueryVariables = Exact<{
  requestId: string | number;
}>;


export type HousingSuggestionsQuery = { housingSuggestions: Array<{ id: string, capacity: number, roomLeft: number | null, availableFrom: string, availableUntil: string, area: string | null }> };

export type ProposeHousingMatchMutationVariables = Exact<{
  pledgeId: string | number;
  requestId: string | number;
}>;


export type ProposeHousingMatchMutation = { proposeHousingMatch: { id: string, status: string } };

export type AcceptHousingMatchMutationVariables = Exact<{
  matchId: string | number;
}>;


export type AcceptHousingMatchMutation = { acceptHousingMatch: { id: string, status: string, counterpartContact: string | null } };

export type FundQueryVariables = Exact<{
  circleId: string | number;
}>;


export type FundQuery = { fundHoldings: Array<{ currency: string, heldMinor: number | null, asOfCycle: string | null }> };

export type PledgeToFundMutationVariables = Exact<{
  input: PledgeInput;
}>;


export type PledgeToFundMutation = { pledge: { id: string, amountMinor: number, currency: string } };

export type RequestDisbursementMutationVariables = Exact<{
  input: RequestDisbursementInput;
}>;


export type RequestDisbursementMutation = { requestDisbursement: { id: string, amountMinor: number, currency: string, purpose: DisbursementPurpose, status: string } };

export type OwnHousingPledgesFragment = { nextCursor: string | null, items: Array<{ id: string, capacity: number, roomLeft: number | null, availableFrom: string, availableUntil: string, withdrawnAt: string | null }> };

export type OwnHousingRequestsFragment = { nextCursor: string | null, items: Array<{ id: string, people: number, neededFrom: string, neededUntil: string, status: string }> };

export type OwnFundPledgesFragment = { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, pledgedAt: string, withdrawnAt: string | null }> };

export type OwnDisbursementRequestsFragment = { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, purpose: DisbursementPurpose, status: string, requestedAt: string }> };

export type MyCommitmentsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyCommitmentsQuery = { myHousingPledges: { nextCursor: string | null, items: Array<{ id: string, capacity: number, roomLeft: number | null, availableFrom: string, availableUntil: string, withdrawnAt: string | null }> }, myHousingRequests: { nextCursor: string | null, items: Array<{ id: string, people: number, neededFrom: string, neededUntil: string, status: string }> }, myFundPledges: { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, pledgedAt: string, withdrawnAt: string | null }> }, myDisbursementRequests: { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, purpose: DisbursementPurpose, status: string, requestedAt: string }> } };

export type MoreMyHousingPledgesQueryVariables = Exact<{
  circleId: string | number;
  after: string;
}>;


export type MoreMyHousingPledgesQuery = { myHousingPledges: { nextCursor: string | null, items: Array<{ id: string, capacity: number, roomLeft: number | null, availableFrom: string, availableUntil: string, withdrawnAt: string | null }> } };

export type MoreMyHousingRequestsQueryVariables = Exact<{
  circleId: string | number;
  after: string;
}>;


export type MoreMyHousingRequestsQuery = { myHousingRequests: { nextCursor: string | null, items: Array<{ id: string, people: number, neededFrom: string, neededUntil: string, status: string }> } };

export type MoreMyFundPledgesQueryVariables = Exact<{
  circleId: string | number;
  after: string;
}>;


export type MoreMyFundPledgesQuery = { myFundPledges: { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, pledgedAt: string, withdrawnAt: string | null }> } };

export type MoreMyDisbursementRequestsQueryVariables = Exact<{
  circleId: string | number;
  after: string;
}>;


export type MoreMyDisbursementRequestsQuery = { myDisbursementRequests: { nextCursor: string | null, items: Array<{ id: string, amountMinor: number, currency: string, purpose: DisbursementPurpose, status: string, requestedAt: string }> } };

export type WithdrawHousingPledgeMutationVariables = Exact<{
  id: string | number;
}>;


export type WithdrawHousingPledgeMutation = { withdrawHousingPledge: { id: string, withdrawnAt: string | null } };

export type WithdrawHousingRequestMutationVariables = Exact<{
  id: string | number;
}>;


export type WithdrawHousingRequestMutation = { withdrawHousingRequest: { id: string, status: string } };

export type WithdrawFundPledgeMutationVariables = Exact<{
  id: string | number;
}>;


export type WithdrawFundPledgeMutation = { withdrawFundPledge: { id: string, withdrawnAt: string | null } };

export type WithdrawDisbursementRequestMutationVariables = Exact<{
  id: string | number;
}>;


export type WithdrawDisbursementRequestMutation = { withdrawDisbursementRequest: { id: string, status: string } };

export type MyBodiesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyBodiesQuery = { bodies: { items: Array<{ id: string, name: string, kind: BodyKind, decisionRule: DecisionRule, size: number, seatsTaken: number, mySeat: SeatKind | null, cannotDecideBecause: string | null }> } };

export type BodyProposalsQueryVariables = Exact<{
  bodyId: string | number;
}>;


export type BodyProposalsQuery = { proposals: { items: Array<{ id: string, bodyId: string, title: string, text: string, kind: ProposalKind, status: ProposalStatus, outcome: Outcome | null, closesAt: string, myResponse: { response: ResponseKind, reason: string | null } | null }> } };

export type RespondMutationVariables = Exact<{
  input: RespondInput;
}>;


export type RespondMutation = { respond: { id: string, myResponse: { response: ResponseKind, reason: string | null } | null } };

export type MyCirclesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCirclesQuery = { me: { memberships: Array<{ id: string, handle: string, circle: { id: string, slug: string, name: string }, balance: { minutes: number, floorMinutes: number, ceilingMinutes: number, cycle: string } | null }> } };

export type HomeQueryVariables = Exact<{ [key: string]: never; }>;


export type HomeQuery = { me: { memberships: Array<{ id: string, handle: string, exchangesAwaitingMe: number | null, unreadToolNotifications: number | null, unreadDefenseNotifications: number | null, circle: { id: string, slug: string, name: string }, balance: { minutes: number, floorMinutes: number, ceilingMinutes: number, cycle: string, cycleEndsAt: string } | null }> } };

export type UnreadCountsQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadCountsQuery = { me: { memberships: Array<{ id: string, unreadToolNotifications: number | null, unreadDefenseNotifications: number | null }> } };

export type HubInboxQueryVariables = Exact<{
  circleId: string | number;
}>;


export type HubInboxQuery = { myNotifications: { items: Array<{ id: string, kind: ToolNotificationKind, message: string, dueAt: string | null, createdAt: string, isRead: boolean, tool: { id: string, name: string } }> }, myDefenseNotifications: { items: Array<{ id: string, kind: string, message: string, alertId: string | null, alertKind: AlertKind | null, alertUrgency: AlertUrgency | null, alertPlace: string | null, alertText: string | null, alertRaisedAt: string | null, createdAt: string, isRead: boolean, circle: { id: string } }> } };

export type MarkToolNotificationsReadMutationVariables = Exact<{
  circleId: string | number;
  upTo: string;
}>;


export type MarkToolNotificationsReadMutation = { markNotificationsRead: number };

export type MarkDefenseNotificationsReadMutationVariables = Exact<{
  upTo: string;
}>;


export type MarkDefenseNotificationsReadMutation = { markDefenseNotificationsRead: number };

export type LeaveCircleMutationVariables = Exact<{
  circleId: string | number;
}>;


export type LeaveCircleMutation = { leaveCircle: boolean };

export type OrganizerMembershipsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizerMembershipsQuery = { me: { memberships: Array<{ id: string, roles: Array<Role>, circle: { id: string, slug: string, name: string } }> } };

export type SovereigntyHistoryQueryVariables = Exact<{
  circleId: string | number;
}>;


export type SovereigntyHistoryQuery = { sovereigntyHistory: Array<{ cycle: string, isClosed: boolean, sovereigntyEvents: number | null, minutesExchanged: number | null, exchanges: number | null, activeMembers: number | null, commandDisplacementPerCapita: number | null, minutesOfDebtAnnulled: number | null, eventsByKind: Array<{ kind: SovereigntyEventKind, count: number | null }> }> };

export type CycleSkillsQueryVariables = Exact<{
  slug: string;
  cycle?: string | null | undefined;
}>;


export type CycleSkillsQuery = { circle: { id: string, barterSummary: { cycle: string, skillsInSurplus: Array<string>, skillsInDeficit: Array<string> } | null } | null };

export type CycleLoanMapQueryVariables = Exact<{
  slug: string;
  cycle?: string | null | undefined;
}>;


export type CycleLoanMapQuery = { circle: { id: string, loanMap: { cycle: string, isClosed: boolean, precision: number, cells: Array<{ cell: string, loans: number }> } | null } | null };

export type CompareCirclesQueryVariables = Exact<{
  metric: SovereigntyMetric;
  first?: number | null | undefined;
}>;


export type CompareCirclesQuery = { compareCircles: { items: Array<{ rank: number, value: number, circle: { id: string, name: string }, trend: Array<{ cycle: string, value: number | null }> }> } };

export type CircleNeedsBoardQueryVariables = Exact<{
  circleId: string | number;
}>;


export type CircleNeedsBoardQuery = { needsBoard: { categories: Array<{ category: string, openNeeds: number, peopleWaiting: number | null, membersWaiting: number | null, openRequests: number | null, reservationsWaiting: number | null }>, needs: Array<{ id: string, category: string, title: string, peopleWaiting: number | null }> } };

export type CreditCommonsAddressQueryVariables = Exact<{
  circleId: string | number;
}>;


export type CreditCommonsAddressQuery = { creditCommonsAddress: string };

export type MyRemoteExchangesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyRemoteExchangesQuery = { myRemoteExchanges: { items: Array<{ id: string, role: RemoteExchangeRole, otherAccountPath: string, minutes: number, cycle: string, status: RemoteExchangeStatus, proposedAt: string }> } };

export type ProposeRemoteExchangeMutationVariables = Exact<{
  circleId: string | number;
  minutes: number;
  payeePath: string;
}>;


export type ProposeRemoteExchangeMutation = { proposeRemoteExchange: { id: string, status: RemoteExchangeStatus } };

export type ConfirmRemoteExchangeMutationVariables = Exact<{
  id: string | number;
}>;


export type ConfirmRemoteExchangeMutation = { confirmRemoteExchange: { id: string, status: RemoteExchangeStatus } };

export type CancelRemoteExchangeMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelRemoteExchangeMutation = { cancelRemoteExchange: { id: string, status: RemoteExchangeStatus } };

export type SessionPartsFragment = { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, member: { id: string, handle: string, circle: { id: string, slug: string, name: string } } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, member: { id: string, handle: string, circle: { id: string, slug: string, name: string } } } };

export type JoinCircleMutationVariables = Exact<{
  input: JoinCircleInput;
}>;


export type JoinCircleMutation = { joinCircle: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, member: { id: string, handle: string, circle: { id: string, slug: string, name: string } } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, member: { id: string, handle: string, circle: { id: string, slug: string, name: string } } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type SisterListingsQueryVariables = Exact<{
  slug: string;
  circleId: string | number;
}>;


export type SisterListingsQuery = { circle: { id: string, sisterListings: { items: Array<{ id: string, kind: ListingKind, skills: Array<string>, description: string, publishedAt: string, circle: { id: string, name: string } }> } | null } | null, sisterExchanges: { items: Array<{ id: string, role: SisterExchangeRole, isProposedByYou: boolean, minutes: number, skill: string, status: ExchangeStatus, sisterCircle: { id: string, name: string }, counterpart: { id: string, handle: string } | null }> } };

export type ProposeSisterExchangeMutationVariables = Exact<{
  input: ProposeSisterExchangeInput;
}>;


export type ProposeSisterExchangeMutation = { proposeSisterExchange: { id: string, status: ExchangeStatus } };

export type ConfirmSisterExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type ConfirmSisterExchangeMutation = { confirmSisterExchange: { id: string, status: ExchangeStatus } };

export type DeclineSisterExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type DeclineSisterExchangeMutation = { declineSisterExchange: { id: string, status: ExchangeStatus } };

export type CancelSisterExchangeMutationVariables = Exact<{
  exchangeId: string | number;
}>;


export type CancelSisterExchangeMutation = { cancelSisterExchange: { id: string, status: ExchangeStatus } };

export type SovereigntyFiguresQueryVariables = Exact<{
  circleId: string | number;
  slug: string;
}>;


export type SovereigntyFiguresQuery = { circle: { id: string, viewerRoles: Array<Role> } | null, sovereigntyHistory: Array<{ cycle: string, isClosed: boolean, endsAt: string, sovereigntyEvents: number | null, commandsDisplaced: number | null, activeMembers: number | null, minutesExchanged: number | null, exchanges: number | null, loans: number | null, mediations: number | null, crisesBuffered: number | null, moneyKeptOut: { currency: string, hourValueMinor: number, loanValueMinor: number, fromHoursMinor: number | null, fromLoansMinor: number | null, totalMinor: number | null } | null }>, sovereigntyRates: { currency: string, hourValueMinor: number, loanValueMinor: number } | null };

export type SetSovereigntyRatesMutationVariables = Exact<{
  input: SetSovereigntyRatesInput;
}>;


export type SetSovereigntyRatesMutation = { setSovereigntyRates: { currency: string, hourValueMinor: number, loanValueMinor: number } };

export type RecordNeedMetMutationVariables = Exact<{
  input: RecordSovereigntyEventInput;
}>;


export type RecordNeedMetMutation = { recordSovereigntyEvent: { id: string, kind: SovereigntyEventKind, count: number, cycle: string } };

export type CircleStoriesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type CircleStoriesQuery = { circleStories: { items: Array<{ id: string, title: string, body: string, status: StoryStatus, tellerConsents: boolean, toldByMe: boolean, submittedAt: string }> } };

export type SubmitStoryMutationVariables = Exact<{
  input: SubmitStoryInput;
}>;


export type SubmitStoryMutation = { submitStory: { id: string, title: string, status: StoryStatus, tellerConsents: boolean, toldByMe: boolean } };

export type SetStoryConsentMutationVariables = Exact<{
  storyId: string | number;
  consents: boolean;
}>;


export type SetStoryConsentMutation = { setStoryConsent: { id: string, status: StoryStatus, tellerConsents: boolean } };

export type NeedsBoardQueryVariables = Exact<{
  circleId: string | number;
}>;


export type NeedsBoardQuery = { needsBoard: { categories: Array<{ category: string, openNeeds: number, peopleWaiting: number | null, membersWaiting: number | null }>, needs: Array<{ id: string, category: string, title: string, peopleWaiting: number | null, postedAt: string }> } };

export type NewsletterQueryVariables = Exact<{
  circleId: string | number;
  language: NewsletterLanguage;
}>;


export type NewsletterQuery = { newsletter: { cycle: string, figures: { cycle: string, sovereigntyEvents: number | null, commandsDisplaced: number | null, minutesExchanged: number | null }, stories: Array<{ id: string, title: string, body: string }> } };

export type ToolsQueryVariables = Exact<{
  slug: string;
  search?: ToolSearchInput | null | undefined;
}>;


export type ToolsQuery = { circle: { id: string, tools: { items: Array<{ id: string, name: string, category: string, description: string, safetyNotes: string, condition: ToolCondition, isAvailable: boolean, waitingCount: number, host: { id: string, handle: string }, holder: { id: string, handle: string }, queue: { items: Array<{ id: string, member: { id: string, handle: string } }> }, currentLoan: { id: string, dueAt: string, renewals: number, isOverdue: boolean, borrower: { id: string, handle: string } } | null, pendingHandOff: { id: string, status: HandOffStatus, proposedBy: { id: string }, from: { id: string, handle: string }, to: { id: string, handle: string } } | null }> } | null } | null };

export type MyReservationsQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyReservationsQuery = { myReservations: Array<{ id: string, status: ReservationStatus, place: number | null, reservedAt: string, tool: { id: string, name: string } }> };

export type ReserveToolMutationVariables = Exact<{
  toolId: string | number;
}>;


export type ReserveToolMutation = { reserveTool: { id: string, status: ReservationStatus, place: number | null, tool: { id: string, name: string } } };

export type CancelReservationMutationVariables = Exact<{
  reservationId: string | number;
}>;


export type CancelReservationMutation = { cancelReservation: { id: string, status: ReservationStatus, tool: { id: string, name: string } } };

export type AddToolMutationVariables = Exact<{
  input: AddToolInput;
}>;


export type AddToolMutation = { addTool: { id: string, name: string } };

export type ProposeHandOffMutationVariables = Exact<{
  toolId: string | number;
  toMemberId: string | number;
}>;


export type ProposeHandOffMutation = { proposeHandOff: { id: string, status: HandOffStatus } };

export type ConfirmHandOffMutationVariables = Exact<{
  handOffId: string | number;
}>;


export type ConfirmHandOffMutation = { confirmHandOff: { handOff: { id: string, status: HandOffStatus, tool: { id: string, name: string } }, loanStarted: { id: string, dueAt: string } | null, loanEnded: { id: string } | null } };

export type DeclineHandOffMutationVariables = Exact<{
  handOffId: string | number;
}>;


export type DeclineHandOffMutation = { declineHandOff: { id: string, status: HandOffStatus } };

export type RenewLoanMutationVariables = Exact<{
  loanId: string | number;
}>;


export type RenewLoanMutation = { renewLoan: { id: string, dueAt: string, renewals: number, tool: { id: string, name: string } } };

export type TutorialsQueryVariables = Exact<{
  category: string;
}>;


export type TutorialsQuery = { tutorials: { items: Array<{ id: string, title: string, categories: Array<string>, html: string, publishedAt: string, steps: Array<{ html: string }> }> } };

export type PublishTutorialMutationVariables = Exact<{
  input: PublishTutorialInput;
}>;


export type PublishTutorialMutation = { publishTutorial: { id: string, title: string, categories: Array<string> } };

export type RequestHandOffMutationVariables = Exact<{
  toolId: string | number;
}>;


export type RequestHandOffMutation = { requestHandOff: { id: string, status: HandOffStatus } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DrawPartsFragmentDoc = new TypedDocumentString(`
    fragment DrawParts on Draw {
  id
  roleId
  cycle
  status
  witnessesRequired
  witnesses {
    memberId
    commitment
    seed
    revealedAt
  }
}
    `, {"fragmentName":"DrawParts"}) as unknown as TypedDocumentString<DrawPartsFragment, unknown>;
export const AlertToAnswerFragmentDoc = new TypedDocumentString(`
    fragment AlertToAnswer on Alert {
  id
  kind
  place
  urgency
  status
  text
  raisedAt
  raisedByMe
  verifications
  calls {
    step
    responderId
    calledAt
    acknowledgedAt
  }
}
    `, {"fragmentName":"AlertToAnswer"}) as unknown as TypedDocumentString<AlertToAnswerFragment, unknown>;
export const OwnHousingPledgesFragmentDoc = new TypedDocumentString(`
    fragment OwnHousingPledges on HousingPledgePage {
  items {
    id
    capacity
    roomLeft
    availableFrom
    availableUntil
    withdrawnAt
  }
  nextCursor
}
    `, {"fragmentName":"OwnHousingPledges"}) as unknown as TypedDocumentString<OwnHousingPledgesFragment, unknown>;
export const OwnHousingRequestsFragmentDoc = new TypedDocumentString(`
    fragment OwnHousingRequests on HousingRequestPage {
  items {
    id
    people
    neededFrom
    neededUntil
    status
  }
  nextCursor
}
    `, {"fragmentName":"OwnHousingRequests"}) as unknown as TypedDocumentString<OwnHousingRequestsFragment, unknown>;
export const OwnFundPledgesFragmentDoc = new TypedDocumentString(`
    fragment OwnFundPledges on FundPledgePage {
  items {
    id
    amountMinor
    currency
    pledgedAt
    withdrawnAt
  }
  nextCursor
}
    `, {"fragmentName":"OwnFundPledges"}) as unknown as TypedDocumentString<OwnFundPledgesFragment, unknown>;
export const OwnDisbursementRequestsFragmentDoc = new TypedDocumentString(`
    fragment OwnDisbursementRequests on DisbursementPage {
  items {
    id
    amountMinor
    currency
    purpose
    status
    requestedAt
  }
  nextCursor
}
    `, {"fragmentName":"OwnDisbursementRequests"}) as unknown as TypedDocumentString<OwnDisbursementRequestsFragment, unknown>;
export const SessionPartsFragmentDoc = new TypedDocumentString(`
    fragment SessionParts on Session {
  token
  expiresAt
  refreshToken
  refreshExpiresAt
  member {
    id
    handle
    circle {
      id
      slug
      name
    }
  }
}
    `, {"fragmentName":"SessionParts"}) as unknown as TypedDocumentString<SessionPartsFragment, unknown>;
export const CycleHistoryDocument = {"__meta__":{"hash":"02bf5f3bc66b119f20eda1394bf34e8ebe68fae120191633d65120350692157b"}} as unknown as TypedDocumentString<CycleHistoryQuery, CycleHistoryQueryVariables>;
export const SkillSharesDocument = {"__meta__":{"hash":"5e6e88ec592fdcd70561e8585b10e2e4ffc6751422dc9804f20f98b40f2609d2"}} as unknown as TypedDocumentString<SkillSharesQuery, SkillSharesQueryVariables>;
export const AnnounceSkillShareDocument = {"__meta__":{"hash":"0fa42ac91d4c564f314355d336de0d0d0694ab75839d12a8fe79f0cc7d930874"}} as unknown as TypedDocumentString<AnnounceSkillShareMutation, AnnounceSkillShareMutationVariables>;
export const SignUpForSkillShareDocument = {"__meta__":{"hash":"e286cb5f5937425f5a838f978e560818401606d15e28753602c9a36d03a049fb"}} as unknown as TypedDocumentString<SignUpForSkillShareMutation, SignUpForSkillShareMutationVariables>;
export const ListingsDocument = {"__meta__":{"hash":"1fd1ee7e31d28a8c9fcc81fe8fa598994bf6ef037978679da20bb7ac4deb21c8"}} as unknown as TypedDocumentString<ListingsQuery, ListingsQueryVariables>;
export const PublishListingDocument = {"__meta__":{"hash":"6704b9345f4e579eb59bbc7ba1c23ee3e56f5c1aa7c3d258e49de76460434901"}} as unknown as TypedDocumentString<PublishListingMutation, PublishListingMutationVariables>;
export const CircleMembersDocument = {"__meta__":{"hash":"74c13299e354fec8989ca5c3758d48403cd7fdee5449a872992720ec04126777"}} as unknown as TypedDocumentString<CircleMembersQuery, CircleMembersQueryVariables>;
export const MyExchangesDocument = {"__meta__":{"hash":"53264cd16ed94619aecf40ff64156d65f189e8da4097191dd5db518875c32af6"}} as unknown as TypedDocumentString<MyExchangesQuery, MyExchangesQueryVariables>;
export const ProposeExchangeDocument = {"__meta__":{"hash":"c41a5dcbd521c5e3a46ac88e4048507d41769e9b313294054289fa22fd3db548"}} as unknown as TypedDocumentString<ProposeExchangeMutation, ProposeExchangeMutationVariables>;
export const ConfirmExchangeDocument = {"__meta__":{"hash":"7d01aa0b08b833f76e1756bbb19b6c4579fe91f971ab1da0123336929a680349"}} as unknown as TypedDocumentString<ConfirmExchangeMutation, ConfirmExchangeMutationVariables>;
export const DeclineExchangeDocument = {"__meta__":{"hash":"7899ec9fe06ccc602eafc5c38e4f6c533b007795d7ff0ca14a56b362b6668e87"}} as unknown as TypedDocumentString<DeclineExchangeMutation, DeclineExchangeMutationVariables>;
export const CancelExchangeDocument = {"__meta__":{"hash":"522fca3f55482b5bfc8f98d65cb4d7d1a30dd59632610c425044e04a09c6f5a5"}} as unknown as TypedDocumentString<CancelExchangeMutation, CancelExchangeMutationVariables>;
export const CaretakingDocument = {"__meta__":{"hash":"e781d9321a41a10b0de1e29ce992d990965c66b46fcfb4dc376c1ec8c776d17e"}} as unknown as TypedDocumentString<CaretakingQuery, CaretakingQueryVariables>;
export const VolunteerAsCaretakerDocument = {"__meta__":{"hash":"6e75bbe5803eb2aa472fa61184000f5d235d433de2e1fb11719872769e5b75de"}} as unknown as TypedDocumentString<VolunteerAsCaretakerMutation, VolunteerAsCaretakerMutationVariables>;
export const WithdrawAsCaretakerDocument = {"__meta__":{"hash":"9771630b5ae9892927d92a1b4e7b7fbf5d6ca1aebf0ce7c0d7efffa1c2be9690"}} as unknown as TypedDocumentString<WithdrawAsCaretakerMutation, WithdrawAsCaretakerMutationVariables>;
export const CommitCaretakerDrawSeedDocument = {"__meta__":{"hash":"a54ad1860d530c733786461d2f9346eed0f6bcc60d81da687503a1616c0e93c2"}} as unknown as TypedDocumentString<CommitCaretakerDrawSeedMutation, CommitCaretakerDrawSeedMutationVariables>;
export const RecordAuditDocument = {"__meta__":{"hash":"96124dbe44190236bdc3e91ea97c6dc57f8bcbbd62062d8de06521c50495bad9"}} as unknown as TypedDocumentString<RecordAuditMutation, RecordAuditMutationVariables>;
export const RecordRepairDocument = {"__meta__":{"hash":"95f18439dee627c38cc48bce44149cb38554a43a6a6a858d3645624eadf3363a"}} as unknown as TypedDocumentString<RecordRepairMutation, RecordRepairMutationVariables>;
export const CaretakerDrawWitnessesDocument = {"__meta__":{"hash":"30f503b556e280f324fc5078f551920e4796cb8256df1ce475dc5a0e6a167123"}} as unknown as TypedDocumentString<CaretakerDrawWitnessesQuery, CaretakerDrawWitnessesQueryVariables>;
export const RevealCaretakerDrawSeedDocument = {"__meta__":{"hash":"9098466ed40a7f68b2b77fc712b54a7827dcbfbf257dfdd2663b2ab0fd2a0da0"}} as unknown as TypedDocumentString<RevealCaretakerDrawSeedMutation, RevealCaretakerDrawSeedMutationVariables>;
export const DecisionLogDocument = {"__meta__":{"hash":"a4101238bea4b280d3faf7111ea255015bf63e717b3dcbd613f50eb8889e10c8"}} as unknown as TypedDocumentString<DecisionLogQuery, DecisionLogQueryVariables>;
export const RoleDrawsDocument = {"__meta__":{"hash":"4613e4ea34843470da33c019379eba223d92b041149750ad06f18ff91e40e886"}} as unknown as TypedDocumentString<RoleDrawsQuery, RoleDrawsQueryVariables>;
export const DrawToCheckDocument = {"__meta__":{"hash":"f7b3a3d1af94f34648b08fa56d340e7b04d09eb0d028d18492c9284dfac629d8"}} as unknown as TypedDocumentString<DrawToCheckQuery, DrawToCheckQueryVariables>;
export const WitnessedDrawDocument = {"__meta__":{"hash":"64375016259cef0dc6e2482ce5d6b9f1cda877c351c174a465098ff68597efff"}} as unknown as TypedDocumentString<WitnessedDrawQuery, WitnessedDrawQueryVariables>;
export const CommitRoleDrawSeedDocument = {"__meta__":{"hash":"95e492d5fd0d1ca13ba361c616c1b8cc02d066ee2264b82b3c099aac322d0b19"}} as unknown as TypedDocumentString<CommitRoleDrawSeedMutation, CommitRoleDrawSeedMutationVariables>;
export const RevealDrawSeedDocument = {"__meta__":{"hash":"7be9cbdb6f64bf7a480921848f4925e082f1ad8ba3b490c8bd1601f204a81682"}} as unknown as TypedDocumentString<RevealDrawSeedMutation, RevealDrawSeedMutationVariables>;
export const PactsDocument = {"__meta__":{"hash":"dc189586abb8606fe7e49fb064adb88dc990c1666afc4d0a09a78076a86b23ff"}} as unknown as TypedDocumentString<PactsQuery, PactsQueryVariables>;
export const ReratifyPactDocument = {"__meta__":{"hash":"e263a86ecf3ff8aca845042d80a0e98baf50728a709ae86274162526c56fd1c6"}} as unknown as TypedDocumentString<ReratifyPactMutation, ReratifyPactMutationVariables>;
export const ConstitutionDocument = {"__meta__":{"hash":"30e906aa3a23c1b6701fa23493b910854130616442dad555761e373f10b7775d"}} as unknown as TypedDocumentString<ConstitutionQuery, ConstitutionQueryVariables>;
export const ProposeAmendmentDocument = {"__meta__":{"hash":"f61ad083c277738c7bc26467162ab24113e44a26654a2fd0f8812db5c996b30f"}} as unknown as TypedDocumentString<ProposeAmendmentMutation, ProposeAmendmentMutationVariables>;
export const AssembliesDocument = {"__meta__":{"hash":"fd6b5f9507c307b17d6694b7382644cea8bd1d9e3b9f6edf3eeced2cb7ccc6dd"}} as unknown as TypedDocumentString<AssembliesQuery, AssembliesQueryVariables>;
export const AddAgendaItemDocument = {"__meta__":{"hash":"346171fc12225aeb193f46fd0aed01bd892a101c17fbeaac190885d8f7400700"}} as unknown as TypedDocumentString<AddAgendaItemMutation, AddAgendaItemMutationVariables>;
export const CallAssemblyDocument = {"__meta__":{"hash":"1301cbcff2f546026e0f2fa3732fa47f33b26c3ebbfe2bdc59b204d94c9604bf"}} as unknown as TypedDocumentString<CallAssemblyMutation, CallAssemblyMutationVariables>;
export const RecordMinutesDocument = {"__meta__":{"hash":"08f6aed17e49ae96bdf3cfbe069b7575f74092897e0f251bb7dba24f15c8bbf0"}} as unknown as TypedDocumentString<RecordMinutesMutation, RecordMinutesMutationVariables>;
export const MyBlocDocument = {"__meta__":{"hash":"085481e34755aff7bde8079020bfb0f69227bd8e6ca6f87876bb4a7d4223bc77"}} as unknown as TypedDocumentString<MyBlocQuery, MyBlocQueryVariables>;
export const ChangeMyBlocDocument = {"__meta__":{"hash":"c94c51eb1303b17fe615a12caea71580e2efc4ec5203b6f7f23d22b5709966bd"}} as unknown as TypedDocumentString<ChangeMyBlocMutation, ChangeMyBlocMutationVariables>;
export const DefenseOverviewDocument = {"__meta__":{"hash":"81947780dd7a583efa6721b9c05df54ba9e4671e5353d983374f8818023ebccb"}} as unknown as TypedDocumentString<DefenseOverviewQuery, DefenseOverviewQueryVariables>;
export const SignAgreementDocument = {"__meta__":{"hash":"82749a642d4a15e9965cddc8638e01a508a9c0adf5aed6da28cc9ba016a76708"}} as unknown as TypedDocumentString<SignAgreementMutation, SignAgreementMutationVariables>;
export const JoinRespondersDocument = {"__meta__":{"hash":"aac695bc915d1ac9ff51b19a478386a5d41d06a380bbc7c7d1354b285ef478f7"}} as unknown as TypedDocumentString<JoinRespondersMutation, JoinRespondersMutationVariables>;
export const RaiseAlertDocument = {"__meta__":{"hash":"e829df0878054d61cc48d8fdc75290be76f716201eff6f72951ae118c094e219"}} as unknown as TypedDocumentString<RaiseAlertMutation, RaiseAlertMutationVariables>;
export const ResponderAlertsDocument = {"__meta__":{"hash":"33cd4d8b095fa0fa03f57b5fd5dec41d0bd5af285605add37513e628c0e0c66b"}} as unknown as TypedDocumentString<ResponderAlertsQuery, ResponderAlertsQueryVariables>;
export const ResponderAlertDocument = {"__meta__":{"hash":"491c7271b3e96961b911396cb69978971779fca79d55027e89b17253ec0a96c1"}} as unknown as TypedDocumentString<ResponderAlertQuery, ResponderAlertQueryVariables>;
export const AcknowledgeAlertDocument = {"__meta__":{"hash":"21119155f3119e6965759c94e4ea7932e400a6c121d417494855f7d39da7971c"}} as unknown as TypedDocumentString<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const VerifyAlertDocument = {"__meta__":{"hash":"709f77d2381d23bfc8c0a8493a5086aa956b3495ddb0107587ba2dd318c89d7a"}} as unknown as TypedDocumentString<VerifyAlertMutation, VerifyAlertMutationVariables>;
export const HearingsDocument = {"__meta__":{"hash":"3aea6ca452cf04952a93abec1c7ca88f6f1e9898fc01e69261f3286c96e9f34f"}} as unknown as TypedDocumentString<HearingsQuery, HearingsQueryVariables>;
export const SignUpForShiftDocument = {"__meta__":{"hash":"06997d88750a2eccbe24fe4db3382f9a7b6bb50bd84510636a29c91e9b036815"}} as unknown as TypedDocumentString<SignUpForShiftMutation, SignUpForShiftMutationVariables>;
export const MyHousingDocument = {"__meta__":{"hash":"fbd759b9532f7b0dffcb44b29cce3e519114e437d0f2b523f3ebbb057647b97a"}} as unknown as TypedDocumentString<MyHousingQuery, MyHousingQueryVariables>;
export const PledgeHousingDocument = {"__meta__":{"hash":"79a2a77cf1ec3a95c6df6bd4b875d79e9569c52f77791fa4eb2bf437410f6db7"}} as unknown as TypedDocumentString<PledgeHousingMutation, PledgeHousingMutationVariables>;
export const RequestHousingDocument = {"__meta__":{"hash":"bb27899d3d0c533b4d098728fc9920a3e8c82b91ef0486941f8d14d9cf3b0777"}} as unknown as TypedDocumentString<RequestHousingMutation, RequestHousingMutationVariables>;
export const HousingSuggestionsDocument = {"__meta__":{"hash":"3baf34daa36b4e32ae35d906f77a7c1fa7a344055a6f9066ebcf9977860c6fe8"}} as unknown as TypedDocumentString<HousingSuggestionsQuery, HousingSuggestionsQueryVariables>;
export const ProposeHousingMatchDocument = {"__meta__":{"hash":"8fd813993006fa06288b5febfde052b1d0782acdb1dd8aa0ee07036b31f5460a"}} as unknown as TypedDocumentString<ProposeHousingMatchMutation, ProposeHousingMatchMutationVariables>;
export const AcceptHousingMatchDocument = {"__meta__":{"hash":"49bd7ddf2cf95bbdb4039c6284926c2d1636c1ce0dd71d469a2dab39287ac1b1"}} as unknown as TypedDocumentString<AcceptHousingMatchMutation, AcceptHousingMatchMutationVariables>;
export const FundDocument = {"__meta__":{"hash":"68ff4bf76dd1b2976b24d586ccc15f81274027cc5feec65341e7b35b068e7bea"}} as unknown as TypedDocumentString<FundQuery, FundQueryVariables>;
export const PledgeToFundDocument = {"__meta__":{"hash":"e4d6949f342e9b256ea7832c7e662cdcb12e3aaba0a5e8c763c46375f42d0186"}} as unknown as TypedDocumentString<PledgeToFundMutation, PledgeToFundMutationVariables>;
export const RequestDisbursementDocument = {"__meta__":{"hash":"5b716c42fee88886217f9badfd0d4d91ec6bd9f598a787cc73f3f0af61d2c1c2"}} as unknown as TypedDocumentString<RequestDisbursementMutation, RequestDisbursementMutationVariables>;
export const MyCommitmentsDocument = {"__meta__":{"hash":"ccbb183a467fd33bdec5f2c5e7c7b16b3b6808a78b4f0c48210922634fc68ad2"}} as unknown as TypedDocumentString<MyCommitmentsQuery, MyCommitmentsQueryVariables>;
export const MoreMyHousingPledgesDocument = {"__meta__":{"hash":"f054930e7ee2d4ed711e79fcb5b4c46de3c4cdb7807a3bf0b39660ad50d0d3dd"}} as unknown as TypedDocumentString<MoreMyHousingPledgesQuery, MoreMyHousingPledgesQueryVariables>;
export const MoreMyHousingRequestsDocument = {"__meta__":{"hash":"7369bb610837f4c1709d85495cb435f4b54c0f1b32f7dae1456cf8b63eb1f1f7"}} as unknown as TypedDocumentString<MoreMyHousingRequestsQuery, MoreMyHousingRequestsQueryVariables>;
export const MoreMyFundPledgesDocument = {"__meta__":{"hash":"88cd16800b864f9e8c6f77413a7ff63752103de62a021d1ada38b20f56a951f1"}} as unknown as TypedDocumentString<MoreMyFundPledgesQuery, MoreMyFundPledgesQueryVariables>;
export const MoreMyDisbursementRequestsDocument = {"__meta__":{"hash":"65f053854dddfd1cc16811e5f71a0d8bd89e2cacec90f89a0f1e59806868eb3d"}} as unknown as TypedDocumentString<MoreMyDisbursementRequestsQuery, MoreMyDisbursementRequestsQueryVariables>;
export const WithdrawHousingPledgeDocument = {"__meta__":{"hash":"ed894dd0dd9467e74d5adf3b1ab8918722d414db21f482a3a31738aae6ae1e7e"}} as unknown as TypedDocumentString<WithdrawHousingPledgeMutation, WithdrawHousingPledgeMutationVariables>;
export const WithdrawHousingRequestDocument = {"__meta__":{"hash":"d469e9ab59202bd60feee3a7ed69944c63b50f70599557afb41294a50730aa4f"}} as unknown as TypedDocumentString<WithdrawHousingRequestMutation, WithdrawHousingRequestMutationVariables>;
export const WithdrawFundPledgeDocument = {"__meta__":{"hash":"700e3c4616ea5bbd3ec3c3617c191e070ae440069038323ceaac146715451e34"}} as unknown as TypedDocumentString<WithdrawFundPledgeMutation, WithdrawFundPledgeMutationVariables>;
export const WithdrawDisbursementRequestDocument = {"__meta__":{"hash":"76479347dbf181bd1653d3f82a94156a56648b5ad720f7e2a71aefd141068ce5"}} as unknown as TypedDocumentString<WithdrawDisbursementRequestMutation, WithdrawDisbursementRequestMutationVariables>;
export const MyBodiesDocument = {"__meta__":{"hash":"c1a216525c6cab11a0d146e0c95e5bc3ae754b61510504832eb96efe1b0d25a6"}} as unknown as TypedDocumentString<MyBodiesQuery, MyBodiesQueryVariables>;
export const BodyProposalsDocument = {"__meta__":{"hash":"88285796901af0a3684d98a21965e0dab570aa7404f53c1075103cb8469c1e9d"}} as unknown as TypedDocumentString<BodyProposalsQuery, BodyProposalsQueryVariables>;
export const RespondDocument = {"__meta__":{"hash":"190327001b293df2e31fb1973e5edd110b538a7a434b677102aca3fe29c66b2c"}} as unknown as TypedDocumentString<RespondMutation, RespondMutationVariables>;
export const MyCirclesDocument = {"__meta__":{"hash":"a9c82bcd254c0d5c12833ee385e84098c764fa83877885c48fc3a0cebcf01550"}} as unknown as TypedDocumentString<MyCirclesQuery, MyCirclesQueryVariables>;
export const HomeDocument = {"__meta__":{"hash":"350c79741ee867be2f835fa26df74963d27831b931761429e7eea926cf4e84e1"}} as unknown as TypedDocumentString<HomeQuery, HomeQueryVariables>;
export const UnreadCountsDocument = {"__meta__":{"hash":"1fd715695509ee971275c61bdd3d30f5a2d9d66ed859063006b3efac7a5c3c66"}} as unknown as TypedDocumentString<UnreadCountsQuery, UnreadCountsQueryVariables>;
export const HubInboxDocument = {"__meta__":{"hash":"ebda0627b8960d409b72a0ce3f791f69e6017291e29704133e230ee06cf5ebfd"}} as unknown as TypedDocumentString<HubInboxQuery, HubInboxQueryVariables>;
export const MarkToolNotificationsReadDocument = {"__meta__":{"hash":"5dde6bb384d3092adc3bdcdc5c934a31af03287661b91fec1debdc47889deedf"}} as unknown as TypedDocumentString<MarkToolNotificationsReadMutation, MarkToolNotificationsReadMutationVariables>;
export const MarkDefenseNotificationsReadDocument = {"__meta__":{"hash":"70f238e502c79987b4bc283960887d178f4f74add2ee65b961715716fa7fc708"}} as unknown as TypedDocumentString<MarkDefenseNotificationsReadMutation, MarkDefenseNotificationsReadMutationVariables>;
export const LeaveCircleDocument = {"__meta__":{"hash":"a2aa6d5be7fe1fff4009445766dc64f607dc17eb9525d2f34d9088f1e5a1ad07"}} as unknown as TypedDocumentString<LeaveCircleMutation, LeaveCircleMutationVariables>;
export const OrganizerMembershipsDocument = {"__meta__":{"hash":"b00bf5bc71d0e6866716bbdbf8e2cf6dd301ede5fbf07b8dca8f67ded7a4f05f"}} as unknown as TypedDocumentString<OrganizerMembershipsQuery, OrganizerMembershipsQueryVariables>;
export const SovereigntyHistoryDocument = {"__meta__":{"hash":"8cf4496d9cfdcf305088529da43f4b94051417844a7d2f0c23261b0bd75247cf"}} as unknown as TypedDocumentString<SovereigntyHistoryQuery, SovereigntyHistoryQueryVariables>;
export const CycleSkillsDocument = {"__meta__":{"hash":"ecf203f53c3b4224df7fbf1aefba7b6a24853b2c1bf8742930088de4a6a71797"}} as unknown as TypedDocumentString<CycleSkillsQuery, CycleSkillsQueryVariables>;
export const CycleLoanMapDocument = {"__meta__":{"hash":"66ad75dd652f5d9c290e442d28113f934c7f11632c99e4b70fcf7d4b695e1568"}} as unknown as TypedDocumentString<CycleLoanMapQuery, CycleLoanMapQueryVariables>;
export const CompareCirclesDocument = {"__meta__":{"hash":"c1698a5016a1058977a8897cdd21720dbd798e22444417e6971314035aa2c5f5"}} as unknown as TypedDocumentString<CompareCirclesQuery, CompareCirclesQueryVariables>;
export const CircleNeedsBoardDocument = {"__meta__":{"hash":"27f70b44c2dd225790bba12a68fb6763850c35d5b94218e35115aa2dc39aac01"}} as unknown as TypedDocumentString<CircleNeedsBoardQuery, CircleNeedsBoardQueryVariables>;
export const CreditCommonsAddressDocument = {"__meta__":{"hash":"f453f9d5af6194d2acac1172256a7cd916d83406f9b9a3acc85286e271570f63"}} as unknown as TypedDocumentString<CreditCommonsAddressQuery, CreditCommonsAddressQueryVariables>;
export const MyRemoteExchangesDocument = {"__meta__":{"hash":"190c63ef5c5e9bde33e83406c49f80de656ac411ed2935fab8e45afb8a34f133"}} as unknown as TypedDocumentString<MyRemoteExchangesQuery, MyRemoteExchangesQueryVariables>;
export const ProposeRemoteExchangeDocument = {"__meta__":{"hash":"fa2dc635e1ad00c77e953ce23ebe4fb62e6595e3e9e8524f9e99dabd45240ef7"}} as unknown as TypedDocumentString<ProposeRemoteExchangeMutation, ProposeRemoteExchangeMutationVariables>;
export const ConfirmRemoteExchangeDocument = {"__meta__":{"hash":"0baee9d0e41600a6f113560005123b6a05e824a37a2c1955afe3851d95a1342b"}} as unknown as TypedDocumentString<ConfirmRemoteExchangeMutation, ConfirmRemoteExchangeMutationVariables>;
export const CancelRemoteExchangeDocument = {"__meta__":{"hash":"75e03de3fc4b5ce19b081c8a3c4ae15cb2870cfa78294b9f706e0adc5cdaf359"}} as unknown as TypedDocumentString<CancelRemoteExchangeMutation, CancelRemoteExchangeMutationVariables>;
export const LoginDocument = {"__meta__":{"hash":"724b93d7f2bdfd360a8a8ed286315a38d10b93a23e77618d9cd77a06269abb4f"}} as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const JoinCircleDocument = {"__meta__":{"hash":"5ca6833802c1c05e7aff5a0acefa59dd14f4ac6925278380b9461e28abded149"}} as unknown as TypedDocumentString<JoinCircleMutation, JoinCircleMutationVariables>;
export const RefreshSessionDocument = {"__meta__":{"hash":"93003a5352828c9c3025f32186749f558b911a11bb83d0e3f1c4e931f3729fbe"}} as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = {"__meta__":{"hash":"44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5"}} as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const SisterListingsDocument = {"__meta__":{"hash":"3518d0a5109494701633bb2ef196e58c0a76dad946795f2a913024e8d0531469"}} as unknown as TypedDocumentString<SisterListingsQuery, SisterListingsQueryVariables>;
export const ProposeSisterExchangeDocument = {"__meta__":{"hash":"dfe84f1596e00581ce466831296c356e4bcc58675ef4db4771e9591b1689771b"}} as unknown as TypedDocumentString<ProposeSisterExchangeMutation, ProposeSisterExchangeMutationVariables>;
export const ConfirmSisterExchangeDocument = {"__meta__":{"hash":"02fdc151c37b1e86a77bd12845e316764def16ee3678a16c1466ddde5f233052"}} as unknown as TypedDocumentString<ConfirmSisterExchangeMutation, ConfirmSisterExchangeMutationVariables>;
export const DeclineSisterExchangeDocument = {"__meta__":{"hash":"fa5d9e79763d58220739730a1b792da6a80e6317a5d827fd4af47e42725fe18b"}} as unknown as TypedDocumentString<DeclineSisterExchangeMutation, DeclineSisterExchangeMutationVariables>;
export const CancelSisterExchangeDocument = {"__meta__":{"hash":"e321314e208ac54c79a561f9dcb4182edfce1b3e49aa05c84f7e01ed95b347c0"}} as unknown as TypedDocumentString<CancelSisterExchangeMutation, CancelSisterExchangeMutationVariables>;
export const SovereigntyFiguresDocument = {"__meta__":{"hash":"b2159ac2d688de68aa97b3e38c63f3eb90beafb47a7aa4d84047d0f3a9348aa5"}} as unknown as TypedDocumentString<SovereigntyFiguresQuery, SovereigntyFiguresQueryVariables>;
export const SetSovereigntyRatesDocument = {"__meta__":{"hash":"6122f3b7c52ed28d007ba933772873ff6b541eb155e0751060c62e08a9892013"}} as unknown as TypedDocumentString<SetSovereigntyRatesMutation, SetSovereigntyRatesMutationVariables>;
export const RecordNeedMetDocument = {"__meta__":{"hash":"9048fcec5f53d6d0fe8912bb7c61fd1d383631e6b0d7d4b4f3aa391d16811e61"}} as unknown as TypedDocumentString<RecordNeedMetMutation, RecordNeedMetMutationVariables>;
export const CircleStoriesDocument = {"__meta__":{"hash":"3b879f798df8587af1f059f62c4ae044b8f3a643a3a91ad16b28f32b8ec624c3"}} as unknown as TypedDocumentString<CircleStoriesQuery, CircleStoriesQueryVariables>;
export const SubmitStoryDocument = {"__meta__":{"hash":"8579613fc83756a4ce8deb169cb34257fae478efd1b5ef7fc73efc295be5fd66"}} as unknown as TypedDocumentString<SubmitStoryMutation, SubmitStoryMutationVariables>;
export const SetStoryConsentDocument = {"__meta__":{"hash":"dc4cb33b0e607716193e54ae2f99ee4d178e72bc39a99c4bfd58697f132c10b3"}} as unknown as TypedDocumentString<SetStoryConsentMutation, SetStoryConsentMutationVariables>;
export const NeedsBoardDocument = {"__meta__":{"hash":"0d2baa3b5932ede5a94351873d9a15fd86e5ec93233851333336d905ff352310"}} as unknown as TypedDocumentString<NeedsBoardQuery, NeedsBoardQueryVariables>;
export const NewsletterDocument = {"__meta__":{"hash":"8e24b473eee3e368fc80a953caa2c016cc4d5acdc10c99a5b55692fd3c0a751f"}} as unknown as TypedDocumentString<NewsletterQuery, NewsletterQueryVariables>;
export const ToolsDocument = {"__meta__":{"hash":"ec513162cc071afa1976517d286befb0e2aacd26ca7e55172bc2fd887ba96191"}} as unknown as TypedDocumentString<ToolsQuery, ToolsQueryVariables>;
export const MyReservationsDocument = {"__meta__":{"hash":"2aea46fc9f95226876effc47951bcebf4d107f5c52cddcb789d7096528420c4e"}} as unknown as TypedDocumentString<MyReservationsQuery, MyReservationsQueryVariables>;
export const ReserveToolDocument = {"__meta__":{"hash":"d03544862f233e89286f6c4169134be99dfea6d7ef66cc5d466866ea8e72c63e"}} as unknown as TypedDocumentString<ReserveToolMutation, ReserveToolMutationVariables>;
export const CancelReservationDocument = {"__meta__":{"hash":"8ddbf8e24c121af27bc1c8e9a84e39b99ab203a6c119a0708ed862db1e42fe02"}} as unknown as TypedDocumentString<CancelReservationMutation, CancelReservationMutationVariables>;
export const AddToolDocument = {"__meta__":{"hash":"7b14b52c810bb717876d68500c64871fdbac66c051a2c491a381d33caa85b3fc"}} as unknown as TypedDocumentString<AddToolMutation, AddToolMutationVariables>;
export const ProposeHandOffDocument = {"__meta__":{"hash":"cfb57143246d818c1c1448cd73335921144e3f6f550817b12a8f4c12267769c9"}} as unknown as TypedDocumentString<ProposeHandOffMutation, ProposeHandOffMutationVariables>;
export const ConfirmHandOffDocument = {"__meta__":{"hash":"b1f0effb6a15d281a097ec539e5d83281cafefbc15a4e71ceb27968782cbe833"}} as unknown as TypedDocumentString<ConfirmHandOffMutation, ConfirmHandOffMutationVariables>;
export const DeclineHandOffDocument = {"__meta__":{"hash":"f5edb0b6229bdcd7d83b8fd5b07a698af80a33b12cf28566b29a778ebc33c76d"}} as unknown as TypedDocumentString<DeclineHandOffMutation, DeclineHandOffMutationVariables>;
export const RenewLoanDocument = {"__meta__":{"hash":"6d2752dd336b7e925a6f2ebecbbee49051e00db66c0b4852ec8d879408f6c528"}} as unknown as TypedDocumentString<RenewLoanMutation, RenewLoanMutationVariables>;
export const TutorialsDocument = {"__meta__":{"hash":"bcb361023a5aa85a5ba327f2b1a9b79fc8ba9ce0ea7466ba9ddbf56c3e63d4eb"}} as unknown as TypedDocumentString<TutorialsQuery, TutorialsQueryVariables>;
export const PublishTutorialDocument = {"__meta__":{"hash":"12592bc4e6adc5f255af41159d7aedf195621e628160346290096bc75e1a6298"}} as unknown as TypedDocumentString<PublishTutorialMutation, PublishTutorialMutationVariables>;
export const RequestHandOffDocument = {"__meta__":{"hash":"8201cef30e128a36c97cd45f1260df4241807ccdc8a390199840c12f5ca72c3f"}} as unknown as TypedDocumentString<RequestHandOffMutation, RequestHandOffMutationVariables>;