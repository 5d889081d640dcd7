/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

/** Self-declared bloc, visible only to the member: EDGE (facing the sharpest coercion) or ADVANTAGED. */
export type Bloc =
  | 'EDGE'
  | 'ADVANTAGED';

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

/** OFFER: what a member can give. REQUEST: what a member needs. */
export type ListingKind =
  | 'OFFER'
  | 'REQUEST';

export type LoginInput = {
  circleSlug: string;
  handle: string;
  passphrase: string;
};

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

/** WAITING in the queue; FULFILLED when the tool reached the member; CANCELLED. */
export type ReservationStatus =
  | 'WAITING'
  | 'FULFILLED'
  | 'CANCELLED';

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

/** A member's role in one circle. */
export type Role =
  | 'MEMBER'
  | 'STEWARD'
  | 'ORGANIZER';

/** The kind of seat a member's private, self-declared bloc gives them. Only the member sees their own. */
export type SeatKind =
  | 'EDGE'
  | 'ADVANTAGED';

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

/** NEEDS_REPAIR tools are not lent until a repair is recorded; RETIRED tools are never lent again. */
export type ToolCondition =
  | 'NEW'
  | 'GOOD'
  | 'WORN'
  | 'NEEDS_REPAIR'
  | 'RETIRED';

/** LOAN_OVERDUE, then LOAN_STILL_OVERDUE one interval later (to the borrower), then CARETAKERS_LOAN_OVERDUE (to the cycle's caretakers). */
export type ToolNotificationKind =
  | 'LOAN_OVERDUE'
  | 'LOAN_STILL_OVERDUE'
  | 'CARETAKERS_LOAN_OVERDUE';

export type ToolSearchInput = {
  category?: string | null | undefined;
  /** Words the name, category or description contain. */
  words?: string | null | undefined;
  /** true: only tools that can be borrowed at once; false: only those that cannot. */
  isAvailable?: boolean | null | undefined;
  /** Include retired tools; default false. */
  includeRetired?: boolean | null | undefined;
};

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

export type MyBodiesQueryVariables = Exact<{
  circleId: string | number;
}>;


export type MyBodiesQuery = { bodies: { items: Array<{ id: string, name: string, mySeat: SeatKind | null }> } };

export type BodyProposalsQueryVariables = Exact<{
  bodyId: string | number;
}>;


export type BodyProposalsQuery = { proposals: { items: Array<{ id: string, bodyId: string, title: string, text: string, status: ProposalStatus, closesAt: string, myResponse: { response: ResponseKind, reason: string | null } | null }> } };

export type RespondMutationVariables = Exact<{
  input: RespondInput;
}>;


export type RespondMutation = { respond: { id: string, myResponse: { response: ResponseKind, reason: string | null } | null } };

export type MyCirclesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCirclesQuery = { me: { memberships: Array<{ id: string, handle: string, circle: { id: string, slug: string, name: string }, balance: { minutes: number, floorMinutes: number, ceilingMinutes: number, cycle: string } | null }> } };

export type WaitingForMeQueryVariables = Exact<{
  slug: string;
  circleId: string | number;
  cycle: string;
}>;


export type WaitingForMeQuery = { circle: { id: string, barterSummary: { cycle: string, endsAt: string } | null } | null, exchanges: { items: Array<{ id: string, proposer: { id: string } }> } };

export type UnreadCountsQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadCountsQuery = { me: { memberships: Array<{ id: string, unreadToolNotifications: number | null, unreadDefenseNotifications: number | null }> } };

export type HubInboxQueryVariables = Exact<{
  circleId: string | number;
}>;


export type HubInboxQuery = { myNotifications: { items: Array<{ id: string, kind: ToolNotificationKind, message: string, createdAt: string, isRead: boolean }> }, myDefenseNotifications: { items: Array<{ id: string, kind: string, message: string, createdAt: string, isRead: boolean, circle: { id: string } }> } };

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
export const ListingsDocument = {"__meta__":{"hash":"1fd1ee7e31d28a8c9fcc81fe8fa598994bf6ef037978679da20bb7ac4deb21c8"}} as unknown as TypedDocumentString<ListingsQuery, ListingsQueryVariables>;
export const PublishListingDocument = {"__meta__":{"hash":"6704b9345f4e579eb59bbc7ba1c23ee3e56f5c1aa7c3d258e49de76460434901"}} as unknown as TypedDocumentString<PublishListingMutation, PublishListingMutationVariables>;
export const CircleMembersDocument = {"__meta__":{"hash":"74c13299e354fec8989ca5c3758d48403cd7fdee5449a872992720ec04126777"}} as unknown as TypedDocumentString<CircleMembersQuery, CircleMembersQueryVariables>;
export const MyExchangesDocument = {"__meta__":{"hash":"53264cd16ed94619aecf40ff64156d65f189e8da4097191dd5db518875c32af6"}} as unknown as TypedDocumentString<MyExchangesQuery, MyExchangesQueryVariables>;
export const ProposeExchangeDocument = {"__meta__":{"hash":"c41a5dcbd521c5e3a46ac88e4048507d41769e9b313294054289fa22fd3db548"}} as unknown as TypedDocumentString<ProposeExchangeMutation, ProposeExchangeMutationVariables>;
export const ConfirmExchangeDocument = {"__meta__":{"hash":"7d01aa0b08b833f76e1756bbb19b6c4579fe91f971ab1da0123336929a680349"}} as unknown as TypedDocumentString<ConfirmExchangeMutation, ConfirmExchangeMutationVariables>;
export const DeclineExchangeDocument = {"__meta__":{"hash":"7899ec9fe06ccc602eafc5c38e4f6c533b007795d7ff0ca14a56b362b6668e87"}} as unknown as TypedDocumentString<DeclineExchangeMutation, DeclineExchangeMutationVariables>;
export const CancelExchangeDocument = {"__meta__":{"hash":"522fca3f55482b5bfc8f98d65cb4d7d1a30dd59632610c425044e04a09c6f5a5"}} as unknown as TypedDocumentString<CancelExchangeMutation, CancelExchangeMutationVariables>;
export const MyBodiesDocument = {"__meta__":{"hash":"6a6f2e022a5730bafa44b9df2c524592bf77a112527b57e4be3b93bf7618ba14"}} as unknown as TypedDocumentString<MyBodiesQuery, MyBodiesQueryVariables>;
export const BodyProposalsDocument = {"__meta__":{"hash":"8987f7adb7f77dc85a1672e94847f0eb64b74f2ff06dd1678055e9770224c35f"}} as unknown as TypedDocumentString<BodyProposalsQuery, BodyProposalsQueryVariables>;
export const RespondDocument = {"__meta__":{"hash":"190327001b293df2e31fb1973e5edd110b538a7a434b677102aca3fe29c66b2c"}} as unknown as TypedDocumentString<RespondMutation, RespondMutationVariables>;
export const MyCirclesDocument = {"__meta__":{"hash":"a9c82bcd254c0d5c12833ee385e84098c764fa83877885c48fc3a0cebcf01550"}} as unknown as TypedDocumentString<MyCirclesQuery, MyCirclesQueryVariables>;
export const WaitingForMeDocument = {"__meta__":{"hash":"de9cc2de6c47468fe90928348eab13d488c68ca8aeaa89c19ee299e6e3f41877"}} as unknown as TypedDocumentString<WaitingForMeQuery, WaitingForMeQueryVariables>;
export const UnreadCountsDocument = {"__meta__":{"hash":"1fd715695509ee971275c61bdd3d30f5a2d9d66ed859063006b3efac7a5c3c66"}} as unknown as TypedDocumentString<UnreadCountsQuery, UnreadCountsQueryVariables>;
export const HubInboxDocument = {"__meta__":{"hash":"8c10800692c2942feb25ce07e17248d3104abec0b829bcb8b9237d09202f5c03"}} as unknown as TypedDocumentString<HubInboxQuery, HubInboxQueryVariables>;
export const MarkToolNotificationsReadDocument = {"__meta__":{"hash":"5dde6bb384d3092adc3bdcdc5c934a31af03287661b91fec1debdc47889deedf"}} as unknown as TypedDocumentString<MarkToolNotificationsReadMutation, MarkToolNotificationsReadMutationVariables>;
export const MarkDefenseNotificationsReadDocument = {"__meta__":{"hash":"70f238e502c79987b4bc283960887d178f4f74add2ee65b961715716fa7fc708"}} as unknown as TypedDocumentString<MarkDefenseNotificationsReadMutation, MarkDefenseNotificationsReadMutationVariables>;
export const LeaveCircleDocument = {"__meta__":{"hash":"a2aa6d5be7fe1fff4009445766dc64f607dc17eb9525d2f34d9088f1e5a1ad07"}} as unknown as TypedDocumentString<LeaveCircleMutation, LeaveCircleMutationVariables>;
export const OrganizerMembershipsDocument = {"__meta__":{"hash":"b00bf5bc71d0e6866716bbdbf8e2cf6dd301ede5fbf07b8dca8f67ded7a4f05f"}} as unknown as TypedDocumentString<OrganizerMembershipsQuery, OrganizerMembershipsQueryVariables>;
export const SovereigntyHistoryDocument = {"__meta__":{"hash":"8cf4496d9cfdcf305088529da43f4b94051417844a7d2f0c23261b0bd75247cf"}} as unknown as TypedDocumentString<SovereigntyHistoryQuery, SovereigntyHistoryQueryVariables>;
export const CycleSkillsDocument = {"__meta__":{"hash":"ecf203f53c3b4224df7fbf1aefba7b6a24853b2c1bf8742930088de4a6a71797"}} as unknown as TypedDocumentString<CycleSkillsQuery, CycleSkillsQueryVariables>;
export const CycleLoanMapDocument = {"__meta__":{"hash":"66ad75dd652f5d9c290e442d28113f934c7f11632c99e4b70fcf7d4b695e1568"}} as unknown as TypedDocumentString<CycleLoanMapQuery, CycleLoanMapQueryVariables>;
export const CompareCirclesDocument = {"__meta__":{"hash":"c1698a5016a1058977a8897cdd21720dbd798e22444417e6971314035aa2c5f5"}} as unknown as TypedDocumentString<CompareCirclesQuery, CompareCirclesQueryVariables>;
export const CircleNeedsBoardDocument = {"__meta__":{"hash":"27f70b44c2dd225790bba12a68fb6763850c35d5b94218e35115aa2dc39aac01"}} as unknown as TypedDocumentString<CircleNeedsBoardQuery, CircleNeedsBoardQueryVariables>;
export const LoginDocument = {"__meta__":{"hash":"724b93d7f2bdfd360a8a8ed286315a38d10b93a23e77618d9cd77a06269abb4f"}} as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const JoinCircleDocument = {"__meta__":{"hash":"5ca6833802c1c05e7aff5a0acefa59dd14f4ac6925278380b9461e28abded149"}} as unknown as TypedDocumentString<JoinCircleMutation, JoinCircleMutationVariables>;
export const RefreshSessionDocument = {"__meta__":{"hash":"93003a5352828c9c3025f32186749f558b911a11bb83d0e3f1c4e931f3729fbe"}} as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = {"__meta__":{"hash":"44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5"}} as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
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