import type { LunarCycle } from "@rhizome/kit";
import { sovereigntyEventKinds, type SovereigntyEventKind } from "../domain/kinds.js";
import { metricOfKind, sovereigntyMetrics, type PublishedFigures } from "../domain/scores.js";
import type { SovereigntyEventRow } from "../store/events.js";
import {
  SovereigntyCircle,
  SovereigntyEvent,
  SovereigntyFigure,
  SovereigntyKindCount,
  SovereigntyScore,
} from "./types.js";

export const circleRef = (id: string) => Object.assign(new SovereigntyCircle(), { id });

export function toEvent(row: SovereigntyEventRow): SovereigntyEvent {
  return Object.assign(new SovereigntyEvent(), {
    id: row.id,
    circle: circleRef(row.circleId),
    cycle: row.cycle,
    kind: row.kind as SovereigntyEventKind,
    count: row.count,
    source: row.source,
    recordedAt: row.recordedAt,
  });
}

export function toScore(
  circleId: string,
  cycle: LunarCycle,
  isClosed: boolean,
  figures: PublishedFigures,
): SovereigntyScore {
  return Object.assign(new SovereigntyScore(), {
    circle: circleRef(circleId),
    cycle: cycle.label,
    startsAt: cycle.startsAt,
    endsAt: cycle.endsAt,
    isClosed,
    sovereigntyEvents: figures.SOVEREIGNTY_EVENTS,
    commandsDisplaced: figures.COMMANDS_DISPLACED,
    commandDisplacementPerCapita: figures.COMMAND_DISPLACEMENT_PER_CAPITA,
    activeMembers: figures.ACTIVE_MEMBERS,
    minutesExchanged: figures.MINUTES_EXCHANGED,
    exchanges: figures.EXCHANGES,
    loans: figures.LOANS,
    mediations: figures.MEDIATIONS,
    crisesBuffered: figures.CRISES_BUFFERED,
    commandsReplaced: figures.COMMANDS_REPLACED,
    debtsAnnulled: figures.DEBTS_ANNULLED,
    // Kept figures of cycles closed before this figure existed lack it.
    minutesOfDebtAnnulled: figures.MINUTES_OF_DEBT_ANNULLED ?? null,
    eventsByKind: sovereigntyEventKinds.map((kind) =>
      Object.assign(new SovereigntyKindCount(), { kind, count: figures[metricOfKind[kind]] }),
    ),
    figures: sovereigntyMetrics.map((metric) =>
      Object.assign(new SovereigntyFigure(), { metric, value: figures[metric] }),
    ),
  });
}
