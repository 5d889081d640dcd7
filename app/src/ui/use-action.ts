import { useRef, useState } from "preact/hooks";
import { ApiError, NetworkError, run } from "../api/client.js";
import { enqueue } from "../api/outbox.js";
import type { TypedDocumentString } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import type { Said } from "./feedback.js";

/** What the member is told when an action waits in the outbox. */
export const SAVED_IN_OUTBOX: Said = () => t("outbox.saved");

/** `OFFLINE` stands for "the hub could not be reached"; every other key is an error's `extensions.code`. */
export type ErrorCode = "OFFLINE" | (string & {});

export interface ActionOptions {
  /** Runs after every action the hub accepted (typically reloading what the screen shows). */
  onDone?: () => unknown;
  /** What to tell the member instead, by error code, where a screen knows better than the hub's own words. */
  messages?: Partial<Record<ErrorCode, Said>>;
}

export interface Action {
  /** True while an action is on its way: its buttons are disabled. */
  isBusy: boolean;
  /** The last action's failure, for `<ErrorNotice>`; cleared when an action succeeds. */
  error: unknown;
  /** What the last action did, for `<Success>`. */
  done: Said | undefined;
  /**
   * Runs `work` unless an action is already on its way (a slow line invites double taps) and
   * shows what it answers as done. Answers whether it succeeded.
   */
  act: (work: () => Promise<Said | void>) => Promise<boolean>;
  /** A form's submit handler: `work` gets the form's fields and the form (to reset it). */
  submit: (work: (fields: FormData, form: HTMLFormElement) => Promise<Said | void>) => (event: Event) => void;
  /** Shows a problem found before anything is sent (a missing field, no location), or clears it with undefined. */
  refuse: (said: Said | undefined) => void;
}

/** One way to run an action from a screen: busy while it runs, then its error or its success, in the member's language. */
export function useAction({ onDone, messages = {} }: ActionOptions = {}): Action {
  const [isBusy, setBusy] = useState(false);
  const isRunning = useRef(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<Said | undefined>(undefined);
  // A function given to a state setter is called as an updater: every value is wrapped once more.
  const show = (failure: unknown) => setError(() => failure);

  const act = async (work: () => Promise<Said | void>): Promise<boolean> => {
    if (isRunning.current) return false;
    isRunning.current = true;
    setBusy(true);
    setDone(undefined);
    try {
      const said = await work();
      show(undefined);
      setDone(() => said ?? undefined);
      // An action waiting in the outbox changed nothing on the hub yet: there is nothing new to show.
      if (said !== SAVED_IN_OUTBOX) await onDone?.();
      return true;
    } catch (failure) {
      show(messages[codeOf(failure)] ?? failure);
      return false;
    } finally {
      isRunning.current = false;
      setBusy(false);
    }
  };

  return {
    isBusy,
    error,
    done,
    act,
    submit: (work) => (event) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      void act(() => work(new FormData(form), form));
    },
    refuse: (said) => {
      setDone(undefined);
      show(said);
    },
  };
}

function codeOf(failure: unknown): ErrorCode {
  if (failure instanceof NetworkError) return "OFFLINE";
  return (failure instanceof ApiError && failure.code) || "";
}

/**
 * Sends an operation; without a connection it waits in the outbox and is sent once the connection
 * returns. Only for operations the hub records once however often they arrive (an idempotency key,
 * or an answer that replaces the last). The answer, or undefined when it waits in the outbox.
 */
export async function sendOrQueue<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
): Promise<Data | undefined> {
  try {
    return await run(document, variables);
  } catch (failure) {
    if (!(failure instanceof NetworkError)) throw failure;
    enqueue(document, variables);
    return undefined;
  }
}
