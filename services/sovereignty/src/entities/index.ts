import { ActiveMemberRow } from "./active-member.js";
import { BoardSnapshotCycleRow, BoardSnapshotMemberRow, BoardSnapshotRow } from "./board-snapshot.js";
import { CircleSettingsRow } from "./circle-settings.js";
import { CycleScoreRow } from "./cycle-score.js";
import { HelpedPersonRow } from "./helped-person.js";
import { MoneyRateRow } from "./money-rate.js";
import { NeedRow } from "./need.js";
import { PublishedFigureRow } from "./published-figure.js";
import { SovereigntyEventRow } from "./sovereignty-event.js";
import { StoryRow } from "./story.js";
import { WaitingNeedRow } from "./waiting-need.js";

/** Every table sovereignty maps, for its service definition. */
export const sovereigntyEntities = [
  SovereigntyEventRow,
  ActiveMemberRow,
  CycleScoreRow,
  PublishedFigureRow,
  CircleSettingsRow,
  StoryRow,
  NeedRow,
  WaitingNeedRow,
  HelpedPersonRow,
  BoardSnapshotRow,
  BoardSnapshotMemberRow,
  BoardSnapshotCycleRow,
  MoneyRateRow,
];
