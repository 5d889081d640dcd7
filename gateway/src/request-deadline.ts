import { errorCodes } from "@rhizome/kit/runtime";
import { jsonAnswer, type Answer } from "./answers.js";
import type { Step } from "./pipeline.js";

const RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 (retryable) when the rest of the pipeline has not answered within `deadlineMs`,
 * however many subgraph calls its plan makes in turn (each has its own timeout). One timer per
 * request: the runtime's own request deadline composes an AbortSignal per request, which cost
 * about a third of the gateway's CPU on a single-field query. What the runtime answers after the
 * deadline is dropped.
 */
export function answerByDeadline(deadlineMs: number): Step {
  const lateAnswer = jsonAnswer(
    503,
    {
      errors: [
        {
          message: `The hub did not answer within ${deadlineMs} ms. Try again.`,
          extensions: { code: errorCodes.serviceUnavailable, retryable: true },
        },
      ],
    },
    { "retry-after": String(RETRY_AFTER_SECONDS) },
  );
  return (_exchange, next) =>
    new Promise<Answer | undefined>((resolve, reject) => {
      const timer = setTimeout(() => resolve(lateAnswer), deadlineMs);
      next().then(
        (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
