import { useEffect, useState } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import {
  CircleNeedsBoardDocument,
  CompareCirclesDocument,
  CycleLoanMapDocument,
  CycleSkillsDocument,
  OrganizerMembershipsDocument,
  SovereigntyHistoryDocument,
  type SovereigntyMetric,
} from "../generated/graphql.js";
import type { MessageKey } from "../i18n/en.js";
import { formatNumber, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";
import { LoanMap } from "./organize-loan-map.js";
import { FigureChart } from "./organize-chart.js";
import "./organize.css";

/**
 * The organizers' part of the app: a circle's published figures cycle by cycle, the comparison
 * across neighbourhoods and the needs board. It reads exactly what the API discloses to the caller
 * (figures under 5 people arrive as null and show as "—"); nothing here is computed from members.
 */
const COMPARE_PAGE_SIZE = 20;
const SUPPRESSED = "—";
const METRICS: SovereigntyMetric[] = [
  "SOVEREIGNTY_EVENTS",
  "COMMANDS_DISPLACED",
  "COMMAND_DISPLACEMENT_PER_CAPITA",
  "ACTIVE_MEMBERS",
  "MINUTES_EXCHANGED",
  "EXCHANGES",
  "LOANS",
  "MEDIATIONS",
  "CRISES_BUFFERED",
  "DEBTS_ANNULLED",
  "MINUTES_OF_DEBT_ANNULLED",
  "COMMANDS_REPLACED",
  "MEALS_SHARED",
  "POLICE_CALLS_AVOIDED",
  "SABBATH_NEEDS_MET",
];
type View = "figures" | "compare" | "needs";
const VIEWS: Array<{ view: View; label: MessageKey }> = [
  { view: "figures", label: "organize.viewFigures" },
  { view: "compare", label: "organize.viewCompare" },
  { view: "needs", label: "organize.viewNeeds" },
];

const shown = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined
    ? SUPPRESSED
    : new Intl.NumberFormat(language(), { maximumFractionDigits: digits }).format(value);
const hours = (minutes: number | null | undefined) => (minutes === null || minutes === undefined ? null : minutes / 60);

interface CircleChoice {
  id: string;
  slug: string;
  name: string;
}

function Figures({ circle }: { circle: CircleChoice }) {
  const history = useQuery(SovereigntyHistoryDocument, { circleId: circle.id });
  const scores = history.data?.sovereigntyHistory ?? [];
  const [chosenCycle, setCycle] = useState<string>();
  const cycle = scores.some((score) => score.cycle === chosenCycle) ? chosenCycle : scores.at(-1)?.cycle;
  const score = scores.find((s) => s.cycle === cycle);
  const skills = useQuery(CycleSkillsDocument, cycle ? { slug: circle.slug, cycle } : undefined);
  const map = useQuery(CycleLoanMapDocument, cycle ? { slug: circle.slug, cycle } : undefined);
  const labels = scores.map((s) => s.cycle.slice(5));
  const summary = skills.data?.circle?.barterSummary;

  return (
    <div data-loaded={score ? "figures" : undefined} data-testid="figures-view">
      <Offline isStale={history.isStale} />
      <ErrorNotice error={history.isStale ? undefined : history.error} />
      <Loading isLoading={history.isLoading && !history.data} />
      {score && (
        <>
          <div class="toolbar">
            <label>
              {t("organize.cycle")}
              <select
                data-testid="cycle-select"
                value={cycle}
                onChange={(event) => setCycle((event.currentTarget as HTMLSelectElement).value)}
              >
                {[...scores].reverse().map((s) => (
                  <option value={s.cycle}>
                    {s.isClosed ? s.cycle : t("organize.currentCycle", { cycle: s.cycle })}
                  </option>
                ))}
              </select>
            </label>
            <p class="muted legend">{t("organize.suppressedLegend")}</p>
          </div>
          <dl class="kpis" data-cycle={score.cycle}>
            {(
              [
                ["events", "organize.kpiEvents", shown(score.sovereigntyEvents, 0)],
                ["hours", "organize.kpiHours", shown(hours(score.minutesExchanged), 1)],
                ["exchanges", "organize.kpiExchanges", shown(score.exchanges, 0)],
                ["active", "organize.kpiActive", shown(score.activeMembers, 0)],
                ["debt", "organize.kpiDebtAnnulled", shown(hours(score.minutesOfDebtAnnulled), 1)],
                ["displacement", "organize.kpiDisplacement", shown(score.commandDisplacementPerCapita, 3)],
              ] as Array<[string, MessageKey, string]>
            ).map(([id, label, value]) => (
              <div class="kpi" data-testid={`kpi-${id}`}>
                <dt>{t(label)}</dt>
                <dd class="value">{value}</dd>
              </div>
            ))}
          </dl>
          <div class="grid">
            <figure class="card chart">
              <figcaption>{t("organize.chartEvents")}</figcaption>
              <FigureChart
                testId="chart-events"
                kind="bar"
                series={{
                  labels,
                  keys: scores.map((s) => s.cycle),
                  values: scores.map((s) => s.sovereigntyEvents ?? null),
                }}
              />
            </figure>
            <figure class="card chart">
              <figcaption>{t("organize.chartHours")}</figcaption>
              <FigureChart
                testId="chart-hours"
                kind="bar"
                series={{ labels, values: scores.map((s) => hours(s.minutesExchanged)) }}
              />
            </figure>
            <figure class="card chart">
              <figcaption>{t("organize.chartExchanges")}</figcaption>
              <FigureChart
                testId="chart-exchanges"
                kind="bar"
                series={{ labels, values: scores.map((s) => s.exchanges) }}
              />
            </figure>
            <figure class="card chart">
              <figcaption>{t("organize.chartKinds")}</figcaption>
              <FigureChart
                testId="chart-kinds"
                kind="bar"
                isHorizontal
                isTall
                series={{
                  labels: score.eventsByKind.map((k) => t(`organize.kind.${k.kind}` as MessageKey)),
                  keys: score.eventsByKind.map((k) => k.kind),
                  values: score.eventsByKind.map((k) => k.count ?? null),
                }}
              />
            </figure>
            <figure class="card chart">
              <figcaption>{t("organize.chartDisplacement")}</figcaption>
              <FigureChart
                testId="chart-displacement"
                kind="line"
                series={{ labels, values: scores.map((s) => s.commandDisplacementPerCapita ?? null) }}
              />
            </figure>
          </div>
          <div class="grid">
            {(
              [
                ["skills-surplus", "organize.skillsSurplus", summary?.skillsInSurplus ?? []],
                ["skills-deficit", "organize.skillsDeficit", summary?.skillsInDeficit ?? []],
              ] as Array<[string, MessageKey, string[]]>
            ).map(([id, title, list]) => (
              <section class="card" aria-labelledby={`${id}-title`}>
                <h2 id={`${id}-title`}>{t(title)}</h2>
                <ul class="tags" data-testid={id} data-cycle={skills.data ? cycle : undefined}>
                  {list.length === 0 && <li class="empty muted">{t("organize.noSkills")}</li>}
                  {list.map((skill) => (
                    <li>{skill}</li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
          <LoanMap map={map.data?.circle?.loanMap ?? undefined} isAnswered={!map.isLoading || map.data !== undefined} />
        </>
      )}
    </div>
  );
}

/** A compared circle's trend as a small line; the table beside it carries the figure itself. */
function Sparkline({ trend }: { trend: Array<{ value?: number | null }> }) {
  const values = trend.map((point) => point.value ?? null);
  const max = Math.max(1, ...values.filter((value): value is number => value !== null));
  const points = values.flatMap((value, index) =>
    value === null ? [] : [[4 + (index * 112) / Math.max(1, values.length - 1), 24 - (value / max) * 20]],
  );
  return (
    <svg class="spark" viewBox="0 0 120 28" aria-hidden="true" focusable="false">
      <polyline points={points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")} />
      {points.map(([x, y]) => (
        <circle cx={x.toFixed(1)} cy={y.toFixed(1)} r="2" />
      ))}
    </svg>
  );
}

function Compare() {
  const [metric, setMetric] = useState<SovereigntyMetric>("SOVEREIGNTY_EVENTS");
  const compared = useQuery(CompareCirclesDocument, { metric, first: COMPARE_PAGE_SIZE });
  // Which metric the figures shown are for: the previous one's stay on screen until the new answer arrives.
  const [answeredMetric, setAnsweredMetric] = useState<SovereigntyMetric>();
  useEffect(() => {
    if (compared.data) setAnsweredMetric(metric);
  }, [compared.data]);
  const items = compared.data?.compareCircles.items ?? [];
  const cycle = items[0]?.trend.at(-1)?.cycle;
  const digits = metric === "COMMAND_DISPLACEMENT_PER_CAPITA" ? 3 : 1;
  // A circle network does not resolve arrives as null, and still holds its rank and figure here.
  const nameOf = (item: (typeof items)[number]) => item.circle?.name ?? SUPPRESSED;
  return (
    <div data-loaded={answeredMetric && !compared.isLoading ? `compare-${answeredMetric}` : undefined}>
      <Offline isStale={compared.isStale} />
      <ErrorNotice error={compared.isStale ? undefined : compared.error} />
      <div class="toolbar">
        <label>
          {t("organize.metric")}
          <select
            data-testid="metric-select"
            value={metric}
            onChange={(event) => setMetric((event.currentTarget as HTMLSelectElement).value as SovereigntyMetric)}
          >
            {METRICS.map((option) => (
              <option value={option}>{t(`organize.metric.${option}` as MessageKey)}</option>
            ))}
          </select>
        </label>
        <p class="muted legend">
          {cycle ? t("organize.compareCycle", { cycle }) : compared.data ? t("organize.noCircles") : ""}
        </p>
      </div>
      <Loading isLoading={compared.isLoading && !compared.data} />
      <figure class="card chart">
        <figcaption>{t("organize.chartCompare")}</figcaption>
        <FigureChart
          testId="chart-compare"
          kind="bar"
          series={{ labels: items.map(nameOf), values: items.map((item) => item.value) }}
        />
      </figure>
      {/* Wider than a phone: it scrolls sideways, so it takes keyboard focus to be scrolled by arrows. */}
      <div class="card table-box" tabIndex={0} role="region" aria-label={t("organize.chartCompare")}>
        <table data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">{t("organize.rank")}</th>
              <th scope="col">{t("organize.circle")}</th>
              <th scope="col" class="number">
                {t("organize.value")}
              </th>
              <th scope="col">{t("organize.trend")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr data-circle={item.circle?.id}>
                <td class="number">{String(item.rank)}</td>
                <td>{nameOf(item)}</td>
                <td class="number value">{shown(item.value, digits)}</td>
                <td>
                  <Sparkline trend={item.trend} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Needs({ circle }: { circle: CircleChoice }) {
  const board = useQuery(CircleNeedsBoardDocument, { circleId: circle.id });
  const data = board.data?.needsBoard;
  return (
    <div data-loaded={data ? "needs" : undefined}>
      <Offline isStale={board.isStale} />
      <ErrorNotice error={board.isStale ? undefined : board.error} />
      <Loading isLoading={board.isLoading && !data} />
      <section class="card table-box" aria-labelledby="needs-categories-title" tabIndex={0}>
        <h2 id="needs-categories-title">{t("organize.needsCategories")}</h2>
        <table data-testid="needs-categories">
          <thead>
            <tr>
              <th scope="col">{t("organize.category")}</th>
              <th scope="col" class="number">
                {t("organize.openNeeds")}
              </th>
              <th scope="col" class="number">
                {t("organize.peopleWaiting")}
              </th>
              <th scope="col" class="number">
                {t("organize.membersWaiting")}
              </th>
              <th scope="col" class="number">
                {t("organize.openRequests")}
              </th>
              <th scope="col" class="number">
                {t("organize.reservationsWaiting")}
              </th>
            </tr>
          </thead>
          <tbody>
            {data?.categories.map((category) => (
              <tr data-category={category.category}>
                <td>{category.category}</td>
                <td class="number">{formatNumber(category.openNeeds)}</td>
                <td class="number">{shown(category.peopleWaiting, 0)}</td>
                <td class="number">{shown(category.membersWaiting, 0)}</td>
                <td class="number">{shown(category.openRequests, 0)}</td>
                <td class="number">{shown(category.reservationsWaiting, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="needs-list-title">
        <h2 id="needs-list-title">{t("organize.needsList")}</h2>
        <ul class="needs" data-testid="needs-list">
          {data && data.needs.length === 0 && <li>{t("organize.noNeeds")}</li>}
          {data?.needs.map((need) => (
            <li data-need={need.id}>
              <span>
                <strong>{need.title}</strong> <span class="muted">{need.category}</span>
              </span>
              <span>
                {t("organize.peopleWaiting")}: {shown(need.peopleWaiting, 0)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <p class="muted legend">{t("organize.needsLegend")}</p>
    </div>
  );
}

export function Organize({ session }: { session: StoredSession }) {
  const memberships = useQuery(OrganizerMembershipsDocument, {});
  const circles: CircleChoice[] = memberships.data?.me.memberships.map((membership) => membership.circle) ?? [
    session.member.circle,
  ];
  const [circleId, setCircleId] = useState(session.member.circle.id);
  const circle = circles.find((choice) => choice.id === circleId) ?? session.member.circle;
  const [view, setView] = useState<View>("figures");
  return (
    <Screen title={t("organize.title")} name="organize">
      <p class="muted">{t("organize.intro")}</p>
      <div class="toolbar">
        <label>
          {t("organize.circle")}
          <select
            data-testid="circle-select"
            value={circle.id}
            onChange={(event) => setCircleId((event.currentTarget as HTMLSelectElement).value)}
          >
            {circles.map((choice) => (
              <option value={choice.id}>{choice.name}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="tabs" role="group" aria-label={t("organize.views")}>
        {VIEWS.map((choice) => (
          <button
            type="button"
            data-view={choice.view}
            aria-pressed={view === choice.view ? "true" : "false"}
            onClick={() => setView(choice.view)}
          >
            {t(choice.label)}
          </button>
        ))}
      </div>
      {view === "figures" && <Figures key={circle.id} circle={circle} />}
      {view === "compare" && <Compare />}
      {view === "needs" && <Needs key={circle.id} circle={circle} />}
    </Screen>
  );
}
