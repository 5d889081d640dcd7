import { useCallback, useEffect, useState } from "preact/hooks";
import type { TypedDocumentString } from "../generated/graphql.js";
import { cachedAnswer, NetworkError, query } from "../api/client.js";

export interface QueryState<Data> {
  data: Data | undefined;
  error: unknown;
  isLoading: boolean;
  /** True when the data shown is the copy kept from before, because the hub cannot be reached. */
  isStale: boolean;
  reload: () => Promise<void>;
}

/** Shows the answer kept from last time at once, then the fresh one. */
export function useQuery<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables | undefined,
): QueryState<Data> {
  const key = JSON.stringify(variables ?? null);
  const [data, setData] = useState<Data | undefined>(() => (variables ? cachedAnswer(document, variables) : undefined));
  const [error, setError] = useState<unknown>(undefined);
  const [isLoading, setLoading] = useState(true);
  const [isStale, setStale] = useState(false);
  const reload = useCallback(async () => {
    if (!variables) return;
    setLoading(true);
    try {
      setData(await query(document, variables));
      setError(undefined);
      setStale(false);
    } catch (failure) {
      setError(failure);
      setStale(failure instanceof NetworkError);
    } finally {
      setLoading(false);
    }
    // The variables by value (`key`), not by identity: a screen builds a new object on every render.
  }, [document, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, isLoading, isStale, reload };
}
