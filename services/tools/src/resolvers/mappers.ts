import { canonicalJson, MIN_DRAW_WITNESSES, type WitnessedDrawRecord } from "@rhizome/kit";
import type { CaretakerDrawRow } from "../store/caretakers.js";
import type { ToolRow } from "../store/catalogue.js";
import type { CustodyRow, HandOffRow } from "../store/hand-offs.js";
import type { LoanRow } from "../store/loans.js";
import type { MaintenanceRow } from "../store/maintenance.js";
import type { NotificationRow } from "../store/notifications.js";
import type { ReservationRow } from "../store/reservations.js";
import type { LibraryRules } from "../store/settings.js";
import type { TutorialRow } from "../store/tutorials.js";
import { DEFAULT_LOAN_DAYS } from "../domain/loans.js";
import { lendingProblem } from "../domain/catalogue.js";
import { renderTutorialHtml } from "../domain/tutorials.js";
import {
  CaretakerDraw,
  CaretakerDrawWitness,
  CaretakerDuo,
  circleRef,
  CustodySpell,
  HandOff,
  Loan,
  LoanPeriod,
  MaintenanceRecord,
  memberRef,
  Reservation,
  Tool,
  ToolLibrarySettings,
  ToolNotification,
  Tutorial,
  TutorialStep,
} from "./types.js";

export function toTool(row: ToolRow): Tool {
  return Object.assign(new Tool(), {
    id: row.id,
    circle: circleRef(row.circleId),
    name: row.name,
    category: row.category,
    description: row.description,
    safetyNotes: row.safetyNotes,
    condition: row.condition,
    host: memberRef(row.hostMemberId),
    holder: memberRef(row.holderMemberId),
    locationCell: row.locationCell,
    waitingCount: row.waitingCount,
    isAvailable: !row.openLoanId && row.waitingCount === 0 && !lendingProblem(row),
    addedAt: row.addedAt,
    updatedAt: row.updatedAt,
    retiredAt: row.retiredAt,
    lastAuditedAt: row.lastAuditedAt,
    openLoanId: row.openLoanId,
  });
}

export function toReservation(row: ReservationRow, knownPlace?: number | null): Reservation {
  return Object.assign(new Reservation(), {
    id: row.id,
    member: memberRef(row.memberId),
    number: row.position,
    status: row.status,
    reservedAt: row.reservedAt,
    closedAt: row.closedAt,
    toolId: row.toolId,
    knownPlace,
  });
}

export function toLoan(row: LoanRow): Loan {
  return Object.assign(new Loan(), {
    id: row.id,
    borrower: memberRef(row.borrowerMemberId),
    host: memberRef(row.hostMemberId),
    startedAt: row.startedAt,
    dueAt: row.dueAt,
    renewals: row.renewals,
    returnedAt: row.returnedAt,
    toolId: row.toolId,
  });
}

export function toHandOff(row: HandOffRow): HandOff {
  return Object.assign(new HandOff(), {
    id: row.id,
    from: memberRef(row.fromMemberId),
    to: memberRef(row.toMemberId),
    proposedBy: memberRef(row.proposedByMemberId),
    status: row.status,
    proposedAt: row.proposedAt,
    decidedAt: row.decidedAt,
    toolId: row.toolId,
  });
}

export function toCustodySpell(row: CustodyRow): CustodySpell {
  return Object.assign(new CustodySpell(), {
    id: row.id,
    holder: memberRef(row.memberId),
    heldFrom: row.heldFrom,
    heldUntil: row.heldUntil,
  });
}

export function toMaintenanceRecord(row: MaintenanceRow): MaintenanceRecord {
  return Object.assign(new MaintenanceRecord(), {
    id: row.id,
    kind: row.kind,
    recordedBy: memberRef(row.memberId),
    condition: row.condition,
    notes: row.notes,
    minutes: row.minutes,
    parts: row.parts,
    exchangeId: row.exchangeId,
    recordedAt: row.recordedAt,
    cycle: row.cycle,
  });
}

export function toTutorial(row: TutorialRow): Tutorial {
  return Object.assign(new Tutorial(), {
    id: row.id,
    circle: circleRef(row.circleId),
    title: row.title,
    categories: row.categories,
    markdown: row.markdown,
    html: renderTutorialHtml(row.markdown),
    steps: row.steps.map((step) =>
      Object.assign(new TutorialStep(), { markdown: step, html: renderTutorialHtml(step) }),
    ),
    publishedAt: row.publishedAt,
  });
}

export function toCaretakerDuo(row: CaretakerDrawRow): CaretakerDuo {
  return Object.assign(new CaretakerDuo(), {
    cycle: row.cycle,
    caretakers: row.duo.map(memberRef),
    drawId: row.drawId,
    wasCarriedOver: row.drawId !== null && row.seed === null,
    volunteerIds: row.volunteers,
    previousDuoIds: row.previousDuo,
    commitment: row.commitment,
    seed: row.seed,
    drawnAt: row.drawnAt,
  });
}

export function toCaretakerDraw(draw: WitnessedDrawRecord): CaretakerDraw {
  return Object.assign(new CaretakerDraw(), {
    id: draw.id,
    circleId: draw.circleId,
    cycle: draw.cycle,
    status: draw.status,
    witnessesRequired: MIN_DRAW_WITNESSES,
    witnesses: draw.witnesses.map((w) =>
      Object.assign(new CaretakerDrawWitness(), {
        memberId: w.memberId,
        commitment: w.commitment,
        seed: draw.status === "GATHERING" ? null : w.seed,
        revealedAt: w.revealedAt,
        committedAt: w.committedAt,
      }),
    ),
    pool: draw.pool,
    rules: draw.rules ? canonicalJson(draw.rules) : null,
    commitment: draw.poolCommitment,
    drawSeed: draw.drawSeed,
    drawnOrder: draw.order,
    caretakers: draw.chosen,
    openedAt: draw.openedAt,
    frozenAt: draw.frozenAt,
  });
}

/** `readUpTo`: the instant the member has read their inbox up to, if they ever marked it. */
export function toNotification(row: NotificationRow, readUpTo: Date | undefined): ToolNotification {
  return Object.assign(new ToolNotification(), {
    id: row.id,
    kind: row.kind,
    dueAt: row.dueAt,
    createdAt: row.createdAt,
    isRead: readUpTo !== undefined && row.createdAt.getTime() <= readUpTo.getTime(),
    toolId: row.toolId,
    loanId: row.loanId,
  });
}

export function toLibrarySettings(rules: LibraryRules): ToolLibrarySettings {
  return Object.assign(new ToolLibrarySettings(), {
    maxOpenReservations: rules.maxOpenReservations,
    reminderIntervalHours: rules.reminderIntervalHours,
    defaultLoanDays: DEFAULT_LOAN_DAYS,
    loanPeriods: rules.loanPeriods.map((p) =>
      Object.assign(new LoanPeriod(), { category: p.category, loanDays: p.loanDays }),
    ),
  });
}
