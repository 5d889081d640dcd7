import {
  asGiven,
  cycleContaining,
  defineAction,
  notFound,
  requireId,
  requireOwned,
  type ActionStep,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { insertExperiment, playbooksByIds } from "../store/experiments.js";
import { NO_PLAYBOOK, NO_POWER_NODE } from "./not-found.js";

export interface CopyPlaybookInput {
  playbookId: string;
  nodeId: string;
}

/** A member copies any circle's playbook into their circle as a new experiment this cycle, against a node of its own map. */
export const copyPlaybook = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: CopyPlaybookInput) {
    const [playbook] = await playbooksByIds(tx, [requireId(input.playbookId, NO_PLAYBOOK)]);
    if (!playbook) throw notFound(NO_PLAYBOOK);
    const { row } = await requireOwned(caller, input.nodeId, (id) => context.powerNodes.load(id), NO_POWER_NODE);
    return { playbook, node: row };
  },
  decide: asGiven,
  apply: ({ tx, now }, _input, { playbook, node }) =>
    insertExperiment(
      tx,
      {
        circleId: node.circleId,
        nodeId: node.id,
        hypothesis: playbook.hypothesis,
        cycle: cycleContaining(now).label,
        copiedFrom: playbook.id,
      },
      now,
    ),
});
