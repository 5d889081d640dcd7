// The dashboard's words in English and Spanish. Keys are used by data-i18n attributes and by app.js.
const WORDS = {
  en: {
    title: "Organizer dashboard",
    logout: "Log out",
    loginTitle: "Log in",
    circleSlug: "Circle (its short name)",
    handle: "Your handle",
    passphrase: "Passphrase",
    loginButton: "Log in",
    circle: "Circle",
    viewFigures: "Figures",
    viewCompare: "Compare",
    viewNeeds: "Needs board",
    cycle: "Cycle",
    currentCycle: "{cycle} (current)",
    suppressedLegend: "— : fewer than 5 people, not shown",
    chartHours: "Hours exchanged per cycle",
    chartExchanges: "Exchanges per cycle",
    chartKinds: "Sovereignty events by kind",
    chartDisplacement: "Command displacement per capita",
    chartCompare: "Circles compared",
    skillsSurplus: "Skills in surplus",
    skillsDeficit: "Skills in deficit",
    noSkills: "None published for this cycle",
    metric: "Metric",
    compareCycle: "Closed cycle of {cycle}. Circles that opted out are not shown.",
    rank: "Rank",
    value: "Value",
    trend: "Trend (12 cycles)",
    noCircles: "No circle publishes this figure for this cycle.",
    needsCategories: "Open needs by category",
    needsList: "Newest needs",
    needsMissing: "Open barter requests and waiting tool reservations will join this board when those services publish them.",
    noNeeds: "No open needs.",
    category: "Category",
    openNeeds: "Open needs",
    peopleWaiting: "People waiting",
    hours: "hours",
    loginFailed: "Could not log in: {message}",
    kpiEvents: "Sovereignty events",
    kpiHours: "Hours exchanged",
    kpiExchanges: "Exchanges",
    kpiActive: "Active members",
    kpiDisplacement: "Commands displaced per active member",
    metrics: {
      SOVEREIGNTY_EVENTS: "Sovereignty events",
      COMMANDS_DISPLACED: "Commands displaced",
      COMMAND_DISPLACEMENT_PER_CAPITA: "Command displacement per capita",
      ACTIVE_MEMBERS: "Active members",
      MINUTES_EXCHANGED: "Minutes exchanged",
      EXCHANGES: "Exchanges",
      LOANS: "Loans",
      MEDIATIONS: "Mediations",
      CRISES_BUFFERED: "Crises buffered",
      DEBTS_ANNULLED: "Debts annulled",
      COMMANDS_REPLACED: "Commands replaced by agreements",
      MEALS_SHARED: "Meals shared",
      POLICE_CALLS_AVOIDED: "Police calls avoided",
      SABBATH_NEEDS_MET: "Needs met at a sabbath",
    },
    kinds: {
      EXCHANGE: "Exchanges",
      LOAN: "Loans",
      MEDIATION: "Mediations",
      CRISIS_BUFFERED: "Crises buffered",
      DEBTS_ANNULLED: "Debts annulled",
      COMMAND_REPLACED: "Agreements replacing commands",
      MEAL_SHARED: "Meals shared",
      POLICE_CALL_AVOIDED: "Police calls avoided",
      SABBATH_NEED_MET: "Needs met at a sabbath",
    },
  },
  es: {
    title: "Panel de organización",
    logout: "Salir",
    loginTitle: "Entrar",
    circleSlug: "Círculo (su nombre corto)",
    handle: "Tu apodo",
    passphrase: "Frase de acceso",
    loginButton: "Entrar",
    circle: "Círculo",
    viewFigures: "Cifras",
    viewCompare: "Comparar",
    viewNeeds: "Tablón de necesidades",
    cycle: "Ciclo",
    currentCycle: "{cycle} (en curso)",
    suppressedLegend: "— : menos de 5 personas, no se muestra",
    chartHours: "Horas intercambiadas por ciclo",
    chartExchanges: "Intercambios por ciclo",
    chartKinds: "Eventos de soberanía por tipo",
    chartDisplacement: "Órdenes desplazadas por persona",
    chartCompare: "Círculos comparados",
    skillsSurplus: "Habilidades que sobran",
    skillsDeficit: "Habilidades que faltan",
    noSkills: "Ninguna publicada en este ciclo",
    metric: "Cifra",
    compareCycle: "Ciclo cerrado del {cycle}. No aparecen los círculos que prefirieron no compararse.",
    rank: "Puesto",
    value: "Valor",
    trend: "Tendencia (12 ciclos)",
    noCircles: "Ningún círculo publica esta cifra en este ciclo.",
    needsCategories: "Necesidades abiertas por categoría",
    needsList: "Necesidades más recientes",
    needsMissing: "Las peticiones de trueque abiertas y las reservas de herramientas en espera se sumarán cuando esos servicios las publiquen.",
    noNeeds: "No hay necesidades abiertas.",
    category: "Categoría",
    openNeeds: "Necesidades abiertas",
    peopleWaiting: "Personas esperando",
    hours: "horas",
    loginFailed: "No se pudo entrar: {message}",
    kpiEvents: "Eventos de soberanía",
    kpiHours: "Horas intercambiadas",
    kpiExchanges: "Intercambios",
    kpiActive: "Miembros activos",
    kpiDisplacement: "Órdenes desplazadas por miembro activo",
    metrics: {
      SOVEREIGNTY_EVENTS: "Eventos de soberanía",
      COMMANDS_DISPLACED: "Órdenes desplazadas",
      COMMAND_DISPLACEMENT_PER_CAPITA: "Órdenes desplazadas por persona",
      ACTIVE_MEMBERS: "Miembros activos",
      MINUTES_EXCHANGED: "Minutos intercambiados",
      EXCHANGES: "Intercambios",
      LOANS: "Préstamos",
      MEDIATIONS: "Mediaciones",
      CRISES_BUFFERED: "Crisis amortiguadas",
      DEBTS_ANNULLED: "Deudas anuladas",
      COMMANDS_REPLACED: "Órdenes sustituidas por acuerdos",
      MEALS_SHARED: "Comidas compartidas",
      POLICE_CALLS_AVOIDED: "Llamadas a la policía evitadas",
      SABBATH_NEEDS_MET: "Necesidades cubiertas en un sabbat",
    },
    kinds: {
      EXCHANGE: "Intercambios",
      LOAN: "Préstamos",
      MEDIATION: "Mediaciones",
      CRISIS_BUFFERED: "Crisis amortiguadas",
      DEBTS_ANNULLED: "Deudas anuladas",
      COMMAND_REPLACED: "Acuerdos que sustituyen órdenes",
      MEAL_SHARED: "Comidas compartidas",
      POLICE_CALL_AVOIDED: "Llamadas a la policía evitadas",
      SABBATH_NEED_MET: "Necesidades cubiertas en un sabbat",
    },
  },
};

export const LANGUAGES = Object.keys(WORDS);
let current = "en";

export function language() {
  return current;
}

export function setLanguage(code) {
  current = LANGUAGES.includes(code) ? code : "en";
  document.documentElement.lang = current;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const button of document.querySelectorAll("[data-language]")) button.setAttribute("aria-pressed", String(button.dataset.language === current));
  document.title = `Rhizome · ${t("title")}`;
}

/** The word for `key` in the current language, with {placeholders} filled in. */
export function t(key, values = {}) {
  const path = key.split(".");
  let word = WORDS[current];
  for (const part of path) word = word?.[part];
  if (typeof word !== "string") return key;
  return word.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** Numbers as the language writes them. */
export function formatNumber(value, maximumFractionDigits = 1) {
  return new Intl.NumberFormat(current, { maximumFractionDigits }).format(value);
}
