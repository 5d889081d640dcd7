import { sovereigntyEventKinds, type SovereigntyEventKind } from "./kinds.js";
import { metricOfKind, type PublishedFigures } from "./scores.js";

export const newsletterLanguages = ["EN", "ES"] as const;
export type NewsletterLanguage = (typeof newsletterLanguages)[number];

interface Words {
  title: (cycle: string) => string;
  figures: string;
  byKind: string;
  trend: string;
  stories: string;
  noStories: string;
  suppressed: string;
  hoursExchanged: string;
  hoursOfDebtAnnulled: string;
  activeMembers: string;
  displacement: string;
  events: string;
  footer: string;
  kinds: Record<SovereigntyEventKind, string>;
}

const WORDS: Record<NewsletterLanguage, Words> = {
  EN: {
    title: (cycle) => `Cycle of the new moon of ${cycle}`,
    figures: "This cycle in figures",
    byKind: "Needs met without a coercive intermediary",
    trend: "Sovereignty events, cycle by cycle",
    stories: "Stories",
    noStories: "No stories were published this cycle.",
    suppressed: "fewer than 5 people: not shown",
    hoursExchanged: "Hours exchanged",
    hoursOfDebtAnnulled: "Hours of debt annulled at the new moon",
    activeMembers: "Active members",
    displacement: "Commands displaced per active member",
    events: "Sovereignty events",
    footer:
      "Figures that would describe fewer than 5 people are not shown. Stories are published with their tellers' consent.",
    kinds: {
      EXCHANGE: "Exchanges of hours",
      LOAN: "Tools lent",
      MEDIATION: "Disputes mediated",
      CRISIS_BUFFERED: "Crises buffered",
      DEBTS_ANNULLED: "Debts annulled",
      COMMAND_REPLACED: "Commands replaced by agreements",
      MEAL_SHARED: "Meals shared",
      POLICE_CALL_AVOIDED: "Police calls avoided",
      SABBATH_NEED_MET: "Needs met at a sabbath",
    },
  },
  ES: {
    title: (cycle) => `Ciclo de la luna nueva del ${cycle}`,
    figures: "Este ciclo en cifras",
    byKind: "Necesidades cubiertas sin intermediarios coercitivos",
    trend: "Eventos de soberanía, ciclo a ciclo",
    stories: "Historias",
    noStories: "No se publicaron historias en este ciclo.",
    suppressed: "menos de 5 personas: no se muestra",
    hoursExchanged: "Horas intercambiadas",
    hoursOfDebtAnnulled: "Horas de deuda anuladas en la luna nueva",
    activeMembers: "Miembros activos",
    displacement: "Órdenes desplazadas por miembro activo",
    events: "Eventos de soberanía",
    footer:
      "No se muestran las cifras que describirían a menos de 5 personas. Las historias se publican con el consentimiento de quien las cuenta.",
    kinds: {
      EXCHANGE: "Intercambios de horas",
      LOAN: "Herramientas prestadas",
      MEDIATION: "Conflictos mediados",
      CRISIS_BUFFERED: "Crisis amortiguadas",
      DEBTS_ANNULLED: "Deudas anuladas",
      COMMAND_REPLACED: "Órdenes sustituidas por acuerdos",
      MEAL_SHARED: "Comidas compartidas",
      POLICE_CALL_AVOIDED: "Llamadas a la policía evitadas",
      SABBATH_NEED_MET: "Necesidades cubiertas en un sabbat",
    },
  },
};

export interface NewsletterContent {
  cycle: string;
  figures: PublishedFigures;
  /** Sovereignty events of the cycles up to this one, oldest first (null: suppressed). */
  trend: ReadonlyArray<{ cycle: string; value: number | null }>;
  stories: ReadonlyArray<{ title: string; body: string }>;
  language: NewsletterLanguage;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const show = (value: number | null, words: Words) =>
  value === null ? `<span class="muted">${escapeHtml(words.suppressed)}</span>` : escapeHtml(String(value));

function kindBars(figures: PublishedFigures, words: Words): string {
  const rows = sovereigntyEventKinds.map((kind) => ({ label: words.kinds[kind], value: figures[metricOfKind[kind]] }));
  const max = Math.max(1, ...rows.map((row) => row.value ?? 0));
  const rowHeight = 26;
  const bars = rows
    .map((row, i) => {
      const y = i * rowHeight;
      const width = row.value === null ? 0 : Math.round((row.value / max) * 300);
      const label = row.value === null ? words.suppressed : String(row.value);
      return `<text x="0" y="${y + 17}">${escapeHtml(row.label)}</text><rect x="250" y="${y + 4}" width="${width}" height="18" rx="3"></rect><text x="${256 + width}" y="${y + 17}" class="value">${escapeHtml(label)}</text>`;
    })
    .join("");
  return `<svg role="img" aria-label="${escapeHtml(words.byKind)}" viewBox="0 0 760 ${rows.length * rowHeight}" class="chart">${bars}</svg>`;
}

function trendColumns(trend: NewsletterContent["trend"], words: Words): string {
  const max = Math.max(1, ...trend.map((point) => point.value ?? 0));
  const columnWidth = 60;
  const height = 160;
  const columns = trend
    .map((point, i) => {
      const x = i * columnWidth;
      const barHeight = point.value === null ? 0 : Math.round((point.value / max) * (height - 40));
      return `<rect x="${x + 10}" y="${height - 20 - barHeight}" width="40" height="${barHeight}" rx="3"></rect><text x="${x + 30}" y="${height - 24 - barHeight}" text-anchor="middle" class="value">${point.value === null ? "–" : point.value}</text><text x="${x + 30}" y="${height - 4}" text-anchor="middle" class="small">${escapeHtml(point.cycle.slice(5))}</text>`;
    })
    .join("");
  return `<svg role="img" aria-label="${escapeHtml(words.trend)}" viewBox="0 0 ${Math.max(1, trend.length) * columnWidth} ${height}" class="chart">${columns}</svg>`;
}

/** Minutes as hours to one decimal. */
const asHours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);

/** A cycle's newsletter as one self-contained page: inline styles and SVG, no script, nothing fetched. */
export function renderNewsletterHtml(content: NewsletterContent): string {
  const words = WORDS[content.language];
  const f = content.figures;
  const hours = asHours(f.MINUTES_EXCHANGED);
  const hoursOfDebtAnnulled = asHours(f.MINUTES_OF_DEBT_ANNULLED ?? null);
  const stories = content.stories.length
    ? content.stories
        .map(
          (story) =>
            `<article><h3>${escapeHtml(story.title)}</h3>${story.body
              .split(/\n{2,}/)
              .map((p) => `<p>${escapeHtml(p)}</p>`)
              .join("")}</article>`,
        )
        .join("")
    : `<p class="muted">${escapeHtml(words.noStories)}</p>`;
  return `<!doctype html>
<html lang="${content.language.toLowerCase()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words.title(content.cycle))}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2a22;line-height:1.5}
h1{font-size:1.6rem}dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem}dl div{background:#eef5ef;border-radius:.5rem;padding:.75rem}
dt{font-size:.85rem}dd{margin:0;font-size:1.5rem;font-weight:600}.chart{width:100%;height:auto;font-size:13px}.chart rect{fill:#2f7d4f}.chart .value{font-weight:600}
.chart .small{font-size:11px}.muted{color:#5d6b62;font-size:.9rem}article{border-top:1px solid #d3ded6;padding-top:.5rem}</style></head>
<body><h1>${escapeHtml(words.title(content.cycle))}</h1>
<h2>${escapeHtml(words.figures)}</h2>
<dl><div><dt>${escapeHtml(words.events)}</dt><dd>${show(f.SOVEREIGNTY_EVENTS, words)}</dd></div>
<div><dt>${escapeHtml(words.hoursExchanged)}</dt><dd>${show(hours, words)}</dd></div>
<div><dt>${escapeHtml(words.hoursOfDebtAnnulled)}</dt><dd>${show(hoursOfDebtAnnulled, words)}</dd></div>
<div><dt>${escapeHtml(words.activeMembers)}</dt><dd>${show(f.ACTIVE_MEMBERS, words)}</dd></div>
<div><dt>${escapeHtml(words.displacement)}</dt><dd>${show(f.COMMAND_DISPLACEMENT_PER_CAPITA, words)}</dd></div></dl>
<h2>${escapeHtml(words.byKind)}</h2>${kindBars(f, words)}
<h2>${escapeHtml(words.trend)}</h2>${trendColumns(content.trend, words)}
<h2>${escapeHtml(words.stories)}</h2>${stories}
<p class="muted">${escapeHtml(words.footer)}</p></body></html>`;
}
