import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { circleWith, useGovernance, type Bloc, type Member } from "./support/hub.js";

const governance = useGovernance();

const CREATE_ASSEMBLY = `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id } }`;
const ADD_ITEM = `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { text addedAt } }`;
/** Everything about an assembly an observer in the circle can read (what this change adds is read apart). */
const READ_ASSEMBLY = `query ($id: ID!) { assembly(id: $id) { kind title cycle meetsAt minutes createdAt agenda { text addedAt } } }`;
const LIST_ASSEMBLIES = `query ($circleId: ID!) { assemblies(circleId: $circleId) { items { kind title meetsAt minutes agenda { text addedAt } } } }`;
const ADD_ITEM_STATE = `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { text state } }`;
const AGENDA_STATE = `query ($id: ID!) { assembly(id: $id) { agendaClosesAt agenda { text addedAt state } } }`;

const DAY_MS = 86_400_000;

interface Run {
  /** What the attacker read before the target acted, right after, and once the agenda closed. */
  before: unknown;
  after: unknown;
  closed: { agenda: Array<{ text: string; addedAt: string }> };
  /** What the target's own submission answered, or how it was refused. */
  targetSaw: unknown;
  /** The same shadow assembly read through the fields this change adds, and a second item's state. */
  withState: { open: unknown; closed: unknown; secondItem: unknown };
}

/**
 * One run of the attack: an observer who knows every other member's bloc (two edge members who
 * submit items of their own, an advantaged one who submits too) reads the shadow assembly before and
 * after the target submits an item, then after the agenda closes. Every run starts at the same
 * instant so the only difference between runs is the target's bloc.
 */
async function attack(targetBloc: Bloc, start: Date): Promise<Run> {
  governance.clock.set(start);
  const circle = await circleWith({ caller: "EDGE", observer: "EDGE", other: "ADVANTAGED", target: targetBloc });
  const { caller, observer, other, target } = circle.members;
  const meetsAt = new Date(start.getTime() + 2 * DAY_MS);
  const shadow = (
    await governance.ok(
      CREATE_ASSEMBLY,
      { input: { circleId: circle.id, kind: "SHADOW", title: "Renters in arrears", meetsAt: meetsAt.toISOString() } },
      caller,
    )
  ).createAssembly;
  const read = async (as: Member) => {
    const one = (await governance.ok(READ_ASSEMBLY, { id: shadow.id }, as)).assembly;
    const listed = (await governance.ok(LIST_ASSEMBLIES, { circleId: circle.id }, as)).assemblies.items;
    return { one, listed };
  };
  /** Submits an item; answers what the submitter saw (a refusal included, as its code and message). */
  const submit = async (as: Member, text: string, query = ADD_ITEM) => {
    try {
      return (await governance.ok(query, { input: { assemblyId: shadow.id, text } }, as)).addAgendaItem;
    } catch {
      return { refused: await governance.refused(query, { input: { assemblyId: shadow.id, text } }, as) };
    }
  };

  governance.clock.advance(60_000);
  await submit(caller, "Rent strike logistics");
  await submit(other, "Parking on the green");
  const before = await read(observer);

  governance.clock.advance(60_000);
  const targetSaw = await submit(target, "Where coercion interrupts our week");
  const after = await read(observer);
  governance.clock.advance(60_000);
  await submit(observer, "Childcare during meetings");
  const afterObserver = await read(observer);

  governance.clock.set(new Date(meetsAt.getTime() - 1));
  const justBeforeClose = await read(observer);
  const readState = async () => {
    try {
      return (await governance.ok(AGENDA_STATE, { id: shadow.id }, observer)).assembly;
    } catch (error) {
      return { failed: String(error) };
    }
  };
  const openWithState = await readState();
  const secondItem = await submit(target, "A second item", ADD_ITEM_STATE);
  governance.clock.set(meetsAt);
  const closed = (await read(observer)).one;
  const closedWithState = await readState();
  return {
    before,
    after: { after, afterObserver, justBeforeClose },
    closed,
    targetSaw,
    withState: { open: openWithState, closed: closedWithState, secondItem },
  };
}

describe("a shadow assembly's agenda keeps its submitters' blocs private", () => {
  it("reads the same until the agenda closes whether the member who submitted is edge or advantaged, then publishes the edge items all at once", async () => {
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10 * DAY_MS);
    const asEdge = await attack("EDGE", start);
    const asAdvantaged = await attack("ADVANTAGED", start);

    // Until the agenda closes, an observer reads exactly the same in both runs, and so does the target.
    expect(asAdvantaged.before).toEqual(asEdge.before);
    expect(asAdvantaged.after).toEqual(asEdge.after);
    expect(asAdvantaged.targetSaw).toEqual(asEdge.targetSaw);
    expect(asAdvantaged.withState.open).toEqual(asEdge.withState.open);
    expect(asAdvantaged.withState.secondItem).toEqual(asEdge.withState.secondItem);
    expect(asEdge.withState.secondItem).toEqual({ text: "A second item", state: "SUBMITTED" });
    const closesAt = new Date(start.getTime() + 2 * DAY_MS).toISOString();
    expect(asEdge.withState.open).toEqual({ agendaClosesAt: closesAt, agenda: [] });

    // At the close the edge members' items appear together, in an order set by their text, not by
    // when they were submitted, all stamped with the closing instant; the advantaged items never appear.
    const byHash = (texts: string[]) =>
      [...texts].sort((a, b) => {
        const ha = createHash("sha256").update(a, "utf8").digest("hex");
        const hb = createHash("sha256").update(b, "utf8").digest("hex");
        return ha < hb ? -1 : ha > hb ? 1 : 0;
      });
    const expected = (texts: string[]) => byHash(texts).map((text) => ({ text, addedAt: closesAt }));
    const edgeTexts = ["Rent strike logistics", "Where coercion interrupts our week", "Childcare during meetings"];
    expect(asEdge.closed.agenda).toEqual(expected([...edgeTexts, "A second item"]));
    expect(asAdvantaged.closed.agenda).toEqual(expected(["Rent strike logistics", "Childcare during meetings"]));
    expect(asEdge.withState.closed).toEqual({
      agendaClosesAt: closesAt,
      agenda: expected([...edgeTexts, "A second item"]).map((item) => ({ ...item, state: "PUBLISHED" })),
    });
  });
});
