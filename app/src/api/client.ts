import { RefreshSessionDocument, type TypedDocumentString } from "../generated/graphql.js";
import { clearPrivateData, privateDataClearings, readPrivate, writePrivate } from "./private-storage.js";
import { currentSession, saveSession } from "./session.js";

const GRAPHQL_PATH = "/graphql";
/** Renew the access token this long before it expires (it lives a minute by default). */
const REFRESH_MARGIN_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The hub could not be reached at all (no connection, or it is down). */
export class NetworkError extends Error {}

interface Answer<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Every operation was generated with its id (see codegen.ts); the app never sends query text. */
// Any operation: the id is all this module reads of it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
export type AnyDocument = TypedDocumentString<any, any>;

function idOf(document: AnyDocument): string {
  // eslint-disable-next-line no-restricted-syntax -- codegen's documents carry their persisted id in __meta__, which TypedDocumentString does not declare
  const id = (document as unknown as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!id) throw new Error("An operation without a persisted id: run npm run codegen -w app.");
  return id;
}

async function post<Data>(
  documentId: string,
  variables: unknown,
  token: string | undefined,
  signal?: AbortSignal,
): Promise<Answer<Data>> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ documentId, variables }),
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  try {
    return (await response.json()) as Answer<Data>;
  } catch {
    // Cut off while the answer arrived: as unknown as never sent (the outbox sends it again, with its key).
    if (timeout.aborted || signal?.aborted) throw new NetworkError("answer cut off");
    throw new ApiError(`HTTP ${response.status}`, response.status === 429 ? "RATE_LIMITED" : undefined);
  }
}

let refreshing: Promise<string | undefined> | undefined;

/** A valid access token, renewed with the refresh token when it is about to expire. */
async function accessToken(): Promise<string | undefined> {
  const session = currentSession();
  if (!session) return undefined;
  if (Date.parse(session.expiresAt) - Date.now() > REFRESH_MARGIN_MS) return session.token;
  // A refresh token works once: every caller waits for the same renewal.
  refreshing ??= (async () => {
    try {
      const answer = await post<{ refreshSession: typeof session }>(
        idOf(RefreshSessionDocument),
        { refreshToken: session.refreshToken },
        undefined,
      );
      const renewed = answer.data?.refreshSession;
      if (!renewed) {
        // The session ended (expired, or logged out elsewhere): nothing of it stays on the phone.
        await clearPrivateData();
        saveSession(undefined);
        throw new ApiError(answer.errors?.[0]?.message ?? "session ended", "UNAUTHENTICATED");
      }
      saveSession(renewed);
      return renewed.token;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** `promise`, or a NetworkError as soon as `signal` aborts (what it waits for may go on, unheeded). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(new NetworkError("abandoned"));
    if (signal.aborted) return abandon();
    signal.addEventListener("abort", abandon, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abandon));
  });
}

/**
 * Runs one of the app's operations by its id, as the member when logged in. Aborting `signal`
 * abandons the request with a NetworkError at once (the hub may still have received it).
 */
export async function run<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  { anonymous = false, signal }: { anonymous?: boolean; signal?: AbortSignal } = {},
): Promise<Data> {
  const token = anonymous ? undefined : await untilAborted(accessToken(), signal);
  const answer = await post<Data>(idOf(document), variables, token, signal);
  if (answer.errors?.length || !answer.data) {
    const first = answer.errors?.[0];
    throw new ApiError(first?.message ?? "no data", first?.extensions?.code);
  }
  return answer.data;
}

/** A query's answer, kept on the phone so a screen seen before opens at once (and offline). */
export async function query<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const clearingsBefore = privateDataClearings();
  const data = await run(document, variables);
  // A request still on its way when the member logged out must not leave its answer on the phone.
  if (privateDataClearings() === clearingsBefore) writePrivate(cacheKey(document, variables), data);
  return data;
}

export function cachedAnswer<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
): Data | undefined {
  return readPrivate<Data>(cacheKey(document, variables));
}

const cacheKey = (document: AnyDocument, variables: unknown) => `answer:${idOf(document)}:${JSON.stringify(variables)}`;
