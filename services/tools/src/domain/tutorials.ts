import type { Verdict } from "@rhizome/kit/rules";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";
import { normaliseCategory } from "./catalogue.js";

export const MAX_TUTORIAL_TITLE_LENGTH = 120;
export const MAX_TUTORIAL_MARKDOWN_LENGTH = 20_000;
export const MAX_TUTORIAL_STEPS = 30;
export const MAX_TUTORIAL_STEP_LENGTH = 1_000;
export const MAX_TUTORIAL_CATEGORIES = 5;

// Raw HTML in the markdown is shown as text, never passed through; links keep only safe schemes.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["style"], td: ["style"] },
  allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" }) },
};

/**
 * A tutorial's markdown as HTML a browser can show: markdown-it renders it with raw HTML disabled
 * (so `<script>` stays text) and refuses javascript: and data: links; sanitize-html then keeps only
 * the tags and attributes above, so even a renderer bug cannot let a script or handler through.
 */
export function renderTutorialHtml(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE);
}

export interface TutorialDraft {
  title: string;
  markdown: string;
  categories: string[];
  steps: string[];
}

export function normaliseTutorial(raw: TutorialDraft): Verdict<{ tutorial: TutorialDraft }> {
  const title = raw.title.trim().replace(/\s+/g, " ");
  if (title.length === 0) return { problem: "A tutorial needs a title." };
  if (title.length > MAX_TUTORIAL_TITLE_LENGTH)
    return {
      problem: `A tutorial's title is at most ${MAX_TUTORIAL_TITLE_LENGTH} characters; this one has ${title.length}.`,
    };
  const text = raw.markdown.trim();
  if (text.length > MAX_TUTORIAL_MARKDOWN_LENGTH)
    return {
      problem: `A tutorial's text is at most ${MAX_TUTORIAL_MARKDOWN_LENGTH} characters; this one has ${text.length}.`,
    };
  if (raw.categories.length === 0 || raw.categories.length > MAX_TUTORIAL_CATEGORIES) {
    return {
      problem: `A tutorial has 1 to ${MAX_TUTORIAL_CATEGORIES} categories; this one has ${raw.categories.length}.`,
    };
  }
  const categories: string[] = [];
  for (const candidate of raw.categories) {
    const normalised = normaliseCategory(candidate);
    if ("problem" in normalised) return normalised;
    if (!categories.includes(normalised.category)) categories.push(normalised.category);
  }
  if (raw.steps.length > MAX_TUTORIAL_STEPS)
    return { problem: `A tutorial has at most ${MAX_TUTORIAL_STEPS} steps; this one has ${raw.steps.length}.` };
  const steps = raw.steps.map((step) => step.trim());
  const emptyStep = steps.findIndex((step) => step.length === 0);
  if (emptyStep >= 0) return { problem: `Step ${emptyStep + 1} is empty; remove it or say what to do.` };
  const longStep = steps.findIndex((step) => step.length > MAX_TUTORIAL_STEP_LENGTH);
  if (longStep >= 0)
    return {
      problem: `A step is at most ${MAX_TUTORIAL_STEP_LENGTH} characters; step ${longStep + 1} has ${steps[longStep].length}.`,
    };
  if (text.length === 0 && steps.length === 0) return { problem: "A tutorial needs some text or at least one step." };
  return { tutorial: { title, markdown: text, categories, steps } };
}
