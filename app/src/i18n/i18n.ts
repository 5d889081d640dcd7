import { en, type MessageKey } from "./en.js";
import { es } from "./es.js";

export const LANGUAGES = { en, es } as const;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", es: "Español" };

/** The one setting kept after logging out: it says nothing about the person. */
const LANGUAGE_KEY = "rhizome.language";

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === "en" || saved === "es") return saved;
  return navigator.language.toLowerCase().startsWith("es") ? "es" : "en";
}

let current: Language = initialLanguage();

export const language = (): Language => current;

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next;
}

type Params = Record<string, string | number>;

/** The message in the current language, with `{name}` replaced; `count` chooses a plural form. */
export function t(key: MessageKey, params: Params = {}): string {
  const message = LANGUAGES[current][key] as string | { one: string; other: string };
  const text =
    typeof message === "string"
      ? message
      : new Intl.PluralRules(current).select(Number(params.count)) === "one"
        ? message.one
        : message.other;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    return typeof value === "number" ? formatNumber(value) : value;
  });
}

export const formatNumber = (value: number) => new Intl.NumberFormat(current).format(value);

/** Minutes as hours, the unit members trade in: "1.5 hours", "1,5 horas", "−2 hours". */
export function formatHours(minutes: number): string {
  return new Intl.NumberFormat(current, {
    style: "unit",
    unit: "hour",
    unitDisplay: "long",
    maximumFractionDigits: 2,
  }).format(minutes / 60);
}

/** "in 5 days", "tomorrow", "dentro de 5 días", "mañana". */
export function formatDaysFromNow(days: number): string {
  return new Intl.RelativeTimeFormat(current, { numeric: "auto" }).format(days, "day");
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: "medium" }).format(new Date(iso));
}
