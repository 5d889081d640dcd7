import { boundedText, type Verdict } from "@rhizome/kit/rules";

/** The longest solidarity agreement, in characters: it fits on one page. */
export const MAX_AGREEMENT_LENGTH = 4000;

/** An agreement's text as published, trimmed, or why not. */
export const agreementText = (raw: string): Verdict<string> => boundedText("An agreement", raw, MAX_AGREEMENT_LENGTH);
