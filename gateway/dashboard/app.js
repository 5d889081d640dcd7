import { formatNumber, language, LANGUAGES, setLanguage, t } from "./i18n.js";

// Everything the page shows comes from the hub's own GraphQL endpoint, with the organizer's session.
const GRAPHQL_PATH = "/graphql";
const REFRESH_MARGIN_MS = 15_000;
const COMPARE_PAGE_SIZE = 20;
const SUPPRESSED = "—";

const METRICS = [
  "SOVEREIGNTY_EVENTS", "COMMANDS_DISPLACED", "COMMAND_DISPLACEMENT_PER_CAPITA", "ACTIVE_MEMBERS", "MINUTES_EXCHANGED", "EXCHANGES", "LOANS",
  "MEDIATIONS", "CRISES_BUFFERED", "DEBTS_ANNULLED", "MINUTES_OF_DEBT_ANNULLED", "COMMANDS_REPLACED", "MEALS_SHARED", "POLICE_CALLS_AVOIDED", "SABBATH_NEEDS_MET",
];

const SESSION_FIELDS = "token expiresAt refreshToken";
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`;
const MEMBERSHIPS = `query Memberships { me { memberships { id roles circle { id slug name } } } }`;
const HISTORY = `query History($circleId: ID!) { sovereigntyHistory(circleId: $circleId) {
  cycle isClosed sovereigntyEvents minutesExchanged exchanges activeMembers commandDisplacementPerCapita minutesOfDebtAnnulled eventsByKind { kind count } } }`;
const SKILLS = `query Skills($slug: String!, $cycle: String) { circle(slug: $slug) { barterSummary(cycle: $cycle) { skillsInSurplus skillsInDeficit } } }`;
const COMPARE = `query Compare($metric: SovereigntyMetric!, $first: Int) { compareCircles(metric: $metric, first: $first) {
  items { rank value circle { id name } trend { cycle value } } } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) {
  categories { category openNeeds peopleWaiting membersWaiting openRequests reservationsWaiting } needs { id category title peopleWaiting } } }`;
const LOAN_MAP = `query LoanMap($slug: String!, $cycle: String) { circle(slug: $slug) { loanMap(cycle: $cycle) { cycle isClosed precision cells { cell loans } } } }`;

const state = { session: null, memberships: [], circle: null, view: "figures", history: [], cycle: null, metric: "SOVEREIGNTY_EVENTS" };
const charts = new Map();
const $ = (selector) => document.querySelector(selector);

class GraphQLFailure extends Error {}

async function post(query, variables, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors?.length) throw new GraphQLFailure(body.errors[0].message);
  return body.data;
}

/** Access tokens live a minute: renew before one expires, with the refresh token (which works once). */
async function freshToken() {
  if (!state.session) return undefined;
  if (new Date(state.session.expiresAt).getTime() - Date.now() < REFRESH_MARGIN_MS) {
    state.session = (await post(REFRESH, { refreshToken: state.session.refreshToken })).refreshSession;
  }
  return state.session.token;
}

async function gql(query, variables = {}) {
  return post(query, variables, await freshToken());
}

function showError(element, message) {
  element.textContent = message;
  element.hidden = !message;
}

const shown = (value, digits = 1) => (value === null || value === undefined ? SUPPRESSED : formatNumber(value, digits));
const hours = (minutes) => (minutes === null || minutes === undefined ? null : minutes / 60);

function chart(id, config) {
  charts.get(id)?.destroy();
  const made = new window.Chart(document.getElementById(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, ...config.options } });
  charts.set(id, made);
}

function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

function el(tag, attributes = {}, text) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// ---- Log in and choose a circle -------------------------------------------------------------

async function logIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  showError($("#login-error"), "");
  try {
    state.session = (await post(LOGIN, { input: { circleSlug: form.get("circleSlug").trim(), handle: form.get("handle").trim(), passphrase: form.get("passphrase") } })).login;
    state.memberships = (await gql(MEMBERSHIPS)).me.memberships;
    state.circle = state.memberships.find((m) => m.circle.slug === form.get("circleSlug").trim())?.circle ?? state.memberships[0]?.circle;
    event.target.reset();
    $("#login-view").hidden = true;
    $("#app-view").hidden = false;
    $("#logout").hidden = false;
    fillCircles();
    await showView("figures");
  } catch (error) {
    showError($("#login-error"), t("loginFailed", { message: error.message }));
  }
}

function logOut() {
  state.session = null;
  state.memberships = [];
  for (const made of charts.values()) made.destroy();
  charts.clear();
  $("#app-view").hidden = true;
  $("#logout").hidden = true;
  $("#login-view").hidden = false;
}

function fillCircles() {
  const select = $("#circle-select");
  clear(select);
  for (const membership of state.memberships) select.append(el("option", { value: membership.circle.id }, membership.circle.name));
  select.value = state.circle.id;
}

async function showView(view) {
  state.view = view;
  delete document.body.dataset.loaded;
  for (const button of document.querySelectorAll("[data-view]")) button.setAttribute("aria-selected", String(button.dataset.view === view));
  for (const name of ["figures", "compare", "needs"]) $(`#${name}-view`).hidden = name !== view;
  showError($("#app-error"), "");
  try {
    if (view === "figures") await loadFigures();
    if (view === "compare") await loadComparison();
    if (view === "needs") await loadNeeds();
    document.body.dataset.loaded = view;
  } catch (error) {
    showError($("#app-error"), error.message);
  }
}

// ---- Figures of one circle, cycle by cycle -----------------------------------------------------

async function loadFigures() {
  state.history = (await gql(HISTORY, { circleId: state.circle.id })).sovereigntyHistory;
  const select = $("#cycle-select");
  clear(select);
  for (const score of [...state.history].reverse()) select.append(el("option", { value: score.cycle }, score.isClosed ? score.cycle : t("currentCycle", { cycle: score.cycle })));
  if (!state.history.some((s) => s.cycle === state.cycle)) state.cycle = state.history[state.history.length - 1].cycle;
  select.value = state.cycle;
  drawHistoryCharts();
  await showCycle();
}

function drawHistoryCharts() {
  const labels = state.history.map((s) => s.cycle.slice(5));
  chart("chart-hours", { type: "bar", data: { labels, datasets: [{ label: t("kpiHours"), data: state.history.map((s) => hours(s.minutesExchanged)), backgroundColor: "#2f7d4f" }] } });
  chart("chart-exchanges", { type: "bar", data: { labels, datasets: [{ label: t("kpiExchanges"), data: state.history.map((s) => s.exchanges), backgroundColor: "#5a9e74" }] } });
  chart("chart-displacement", { type: "line", data: { labels, datasets: [{ label: t("kpiDisplacement"), data: state.history.map((s) => s.commandDisplacementPerCapita), borderColor: "#b5651d", backgroundColor: "#b5651d", spanGaps: true }] } });
}

async function showCycle() {
  const score = state.history.find((s) => s.cycle === state.cycle);
  const kpis = $("#kpis");
  clear(kpis);
  const figures = [
    ["events", "kpiEvents", shown(score.sovereigntyEvents, 0)],
    ["hours", "kpiHours", shown(hours(score.minutesExchanged), 1)],
    ["exchanges", "kpiExchanges", shown(score.exchanges, 0)],
    ["active", "kpiActive", shown(score.activeMembers, 0)],
    ["debt", "kpiDebtAnnulled", shown(hours(score.minutesOfDebtAnnulled), 1)],
    ["displacement", "kpiDisplacement", shown(score.commandDisplacementPerCapita, 3)],
  ];
  for (const [id, label, value] of figures) {
    const card = el("div", { class: "kpi", "data-testid": `kpi-${id}` });
    card.append(el("div", { class: "label" }, t(label)), el("div", { class: "value" }, value));
    kpis.append(card);
  }
  chart("chart-kinds", {
    type: "bar",
    data: { labels: score.eventsByKind.map((k) => t(`kinds.${k.kind}`)), datasets: [{ data: score.eventsByKind.map((k) => k.count), backgroundColor: "#2f7d4f" }] },
    options: { indexAxis: "y" },
  });
  const kindsBox = $("#chart-kinds");
  kindsBox.dataset.values = JSON.stringify(score.eventsByKind.map((k) => [k.kind, k.count]));
  await Promise.all([showSkills(), showLoanMap()]);
}

async function showSkills() {
  let summary = { skillsInSurplus: [], skillsInDeficit: [] };
  try {
    summary = (await gql(SKILLS, { slug: state.circle.slug, cycle: state.cycle })).circle?.barterSummary ?? summary;
  } catch {
    // Barter's summary is optional here: the sovereignty figures stand on their own.
  }
  for (const [id, skills] of [["#skills-surplus", summary.skillsInSurplus], ["#skills-deficit", summary.skillsInDeficit]]) {
    const list = $(id);
    clear(list);
    if (skills.length === 0) list.append(el("li", { class: "empty" }, t("noSkills")));
    for (const skill of skills) list.append(el("li", {}, skill));
  }
}

// ---- The loan map: tools lent per coarse cell, drawn here from the cells alone ------------------

const SVG = "http://www.w3.org/2000/svg";
const GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz";
/** About how wide a geohash cell of each length is. */
const CELL_SIZES = ["", "5000 km", "1250 km", "156 km", "39 km", "5 km", "1.2 km"];
const MAP_WIDTH = 400;
const MAX_GRID_LINES = 40;
/** Cells narrower than this (in the map's units) carry no number; the table below lists every cell. */
const MIN_LABELLED_CELL = 18;

/** A geohash cell's bounds in degrees. */
function cellBounds(cell) {
  const lat = [-90, 90];
  const lon = [-180, 180];
  let isLongitude = true;
  for (const character of cell) {
    const bits = GEOHASH.indexOf(character);
    for (let bit = 4; bit >= 0; bit--) {
      const range = isLongitude ? lon : lat;
      const middle = (range[0] + range[1]) / 2;
      if ((bits >> bit) & 1) range[0] = middle;
      else range[1] = middle;
      isLongitude = !isLongitude;
    }
  }
  return { south: lat[0], north: lat[1], west: lon[0], east: lon[1] };
}

function svgElement(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The cells on a plain grid, one cell of margin around them: darker where more tools were lent.
 * No tiles and no coordinates are fetched from anywhere; the page knows only the published cells.
 */
function drawLoanMap(cells) {
  const svg = $("#loan-map-svg");
  clear(svg);
  const bounds = cells.map((c) => ({ ...c, ...cellBounds(c.cell) }));
  const cellHeight = bounds[0].north - bounds[0].south;
  const cellWidth = bounds[0].east - bounds[0].west;
  const south = Math.min(...bounds.map((b) => b.south)) - cellHeight;
  const north = Math.max(...bounds.map((b) => b.north)) + cellHeight;
  const west = Math.min(...bounds.map((b) => b.west)) - cellWidth;
  const east = Math.max(...bounds.map((b) => b.east)) + cellWidth;
  // Degrees of longitude shrink away from the equator: scale them so cells keep their shape.
  const xScale = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const unit = MAP_WIDTH / ((east - west) * xScale);
  const height = Math.max(80, Math.min(MAP_WIDTH, (north - south) * unit));
  const x = (longitude) => (longitude - west) * xScale * unit;
  const y = (latitude) => ((north - latitude) / (north - south)) * height;
  svg.setAttribute("viewBox", `0 0 ${MAP_WIDTH} ${height.toFixed(1)}`);
  svg.append(svgElement("rect", { class: "ground", x: 0, y: 0, width: MAP_WIDTH, height: height.toFixed(1) }));
  // Cells far apart would need thousands of grid lines: the grid is drawn only where it stays readable.
  if ((east - west) / cellWidth <= MAX_GRID_LINES && (north - south) / cellHeight <= MAX_GRID_LINES) {
    for (let longitude = west; longitude <= east + cellWidth / 2; longitude += cellWidth) {
      svg.append(svgElement("line", { class: "grid-line", x1: x(longitude).toFixed(1), y1: 0, x2: x(longitude).toFixed(1), y2: height.toFixed(1) }));
    }
    for (let latitude = south; latitude <= north + cellHeight / 2; latitude += cellHeight) {
      svg.append(svgElement("line", { class: "grid-line", x1: 0, y1: y(latitude).toFixed(1), x2: MAP_WIDTH, y2: y(latitude).toFixed(1) }));
    }
  }
  const most = Math.max(...cells.map((c) => c.loans));
  for (const b of bounds) {
    const [left, top, right, bottom] = [x(b.west), y(b.north), x(b.east), y(b.south)];
    const group = svgElement("g", { class: "cell", "data-cell": b.cell, "data-loans": b.loans });
    group.append(
      svgElement("rect", { x: left.toFixed(1), y: top.toFixed(1), width: (right - left).toFixed(1), height: (bottom - top).toFixed(1), "fill-opacity": (0.3 + (0.7 * b.loans) / most).toFixed(2) }),
      svgElement("title", {}, t("loansInCell", { cell: b.cell, loans: formatNumber(b.loans, 0) })),
    );
    if (right - left >= MIN_LABELLED_CELL) {
      group.append(svgElement("text", { x: ((left + right) / 2).toFixed(1), y: ((top + bottom) / 2).toFixed(1), "text-anchor": "middle", "dominant-baseline": "central" }, formatNumber(b.loans, 0)));
    }
    svg.append(group);
  }
}

async function showLoanMap() {
  const legend = $("#loan-map-legend");
  const body = $("#loan-map-cells tbody");
  clear(body);
  clear($("#loan-map-svg"));
  let map;
  try {
    map = (await gql(LOAN_MAP, { slug: state.circle.slug, cycle: state.cycle })).circle?.loanMap;
  } catch {
    // The tool library is optional here: the sovereignty figures stand on their own.
  }
  $("#loan-map").dataset.cycle = map?.cycle ?? "";
  if (!map) {
    legend.textContent = t("loanMapUnavailable");
    return;
  }
  legend.textContent = map.cells.length === 0 ? t("loanMapEmpty") : t("loanMapLegend", { cycle: map.cycle, size: CELL_SIZES[map.precision] ?? "" });
  $("#loan-map .map-box").hidden = map.cells.length === 0;
  if (map.cells.length === 0) return;
  drawLoanMap(map.cells);
  for (const cell of map.cells) {
    const row = el("tr", { "data-cell": cell.cell });
    row.append(el("td", {}, cell.cell), el("td", { class: "number" }, formatNumber(cell.loans, 0)));
    body.append(row);
  }
}

// ---- Comparison across neighbourhoods ----------------------------------------------------------

function fillMetrics() {
  const select = $("#metric-select");
  clear(select);
  for (const metric of METRICS) select.append(el("option", { value: metric }, t(`metrics.${metric}`)));
  select.value = state.metric;
}

function sparkline(trend) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("viewBox", "0 0 120 28");
  const values = trend.map((p) => p.value);
  const max = Math.max(1, ...values.filter((v) => v !== null));
  const points = values.map((v, i) => (v === null ? null : [4 + (i * 112) / Math.max(1, values.length - 1), 24 - (v / max) * 20]));
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.filter(Boolean).map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "));
  svg.append(line);
  for (const point of points.filter(Boolean)) {
    const dot = document.createElementNS(ns, "circle");
    dot.setAttribute("cx", point[0].toFixed(1));
    dot.setAttribute("cy", point[1].toFixed(1));
    dot.setAttribute("r", "2");
    svg.append(dot);
  }
  return svg;
}

/**
 * A compared circle's name. The ranking comes from sovereignty and the name from network: a circle
 * network does not resolve arrives as null (no error), and still holds its rank and figure here.
 */
const circleName = (item) => item.circle?.name ?? SUPPRESSED;

async function loadComparison() {
  fillMetrics();
  const items = (await gql(COMPARE, { metric: state.metric, first: COMPARE_PAGE_SIZE })).compareCircles.items;
  const cycle = items[0]?.trend.at(-1)?.cycle;
  $("#compare-cycle").textContent = cycle ? t("compareCycle", { cycle }) : t("noCircles");
  const digits = state.metric === "COMMAND_DISPLACEMENT_PER_CAPITA" ? 3 : 1;
  chart("chart-compare", {
    type: "bar",
    data: { labels: items.map(circleName), datasets: [{ data: items.map((item) => item.value), backgroundColor: "#2f7d4f" }] },
  });
  const body = $("#compare-table tbody");
  clear(body);
  for (const item of items) {
    const row = el("tr", item.circle ? { "data-circle": item.circle.id } : {});
    const trendCell = el("td");
    trendCell.append(sparkline(item.trend));
    row.append(el("td", { class: "number" }, String(item.rank)), el("td", {}, circleName(item)), el("td", { class: "number value" }, formatNumber(item.value, digits)), trendCell);
    body.append(row);
  }
}

// ---- The needs board ----------------------------------------------------------------------------

async function loadNeeds() {
  const board = (await gql(BOARD, { circleId: state.circle.id })).needsBoard;
  const body = $("#needs-categories tbody");
  clear(body);
  for (const category of board.categories) {
    const row = el("tr", { "data-category": category.category });
    row.append(
      el("td", {}, category.category),
      el("td", { class: "number" }, String(category.openNeeds)),
      el("td", { class: "number" }, shown(category.peopleWaiting, 0)),
      el("td", { class: "number" }, shown(category.membersWaiting, 0)),
      el("td", { class: "number" }, shown(category.openRequests, 0)),
      el("td", { class: "number" }, shown(category.reservationsWaiting, 0)),
    );
    body.append(row);
  }
  const list = $("#needs-list");
  clear(list);
  if (board.needs.length === 0) list.append(el("li", {}, t("noNeeds")));
  for (const need of board.needs) {
    const item = el("li", { "data-need": need.id });
    const what = el("span");
    what.append(el("strong", {}, need.title), document.createTextNode(" "), el("span", { class: "category" }, need.category));
    item.append(what, el("span", { class: "people" }, `${t("peopleWaiting")}: ${shown(need.peopleWaiting, 0)}`));
    list.append(item);
  }
}

// ---- Wiring ------------------------------------------------------------------------------------

function start() {
  const saved = localStorage.getItem("rhizome.language");
  setLanguage(saved && LANGUAGES.includes(saved) ? saved : navigator.language?.toLowerCase().startsWith("es") ? "es" : "en");
  $("#login-form").addEventListener("submit", logIn);
  $("#logout").addEventListener("click", logOut);
  for (const button of document.querySelectorAll("[data-language]")) {
    button.addEventListener("click", async () => {
      setLanguage(button.dataset.language);
      localStorage.setItem("rhizome.language", language());
      if (state.session) await showView(state.view);
    });
  }
  for (const button of document.querySelectorAll("[data-view]")) button.addEventListener("click", () => showView(button.dataset.view));
  $("#circle-select").addEventListener("change", async (event) => {
    state.circle = state.memberships.find((m) => m.circle.id === event.target.value).circle;
    await showView(state.view);
  });
  $("#cycle-select").addEventListener("change", async (event) => {
    state.cycle = event.target.value;
    await showCycle();
  });
  $("#metric-select").addEventListener("change", async (event) => {
    state.metric = event.target.value;
    await showView("compare");
  });
  document.body.dataset.ready = "true";
}

start();
