import type { DataSource } from "typeorm";
import { loaderByUuid, type ServiceContext } from "@rhizome/kit";
import type { SovereigntyConfig } from "./config.js";
import { storiesByIds, type StoryRow } from "./store/stories.js";

export type SovereigntyLoaders = ReturnType<typeof createLoaders>;

/** What each request of sovereignty sees: the kit's context (caller, db, clock ...) and its loaders. */
export type SovereigntyContext = ServiceContext<SovereigntyConfig> & SovereigntyLoaders;

/** Per-request DataLoaders: 500 references to stories cost one query, not 500. */
export function createLoaders(db: DataSource) {
  return {
    stories: loaderByUuid<StoryRow>(
      (row) => row.id,
      (storyIds) => storiesByIds(db, storyIds),
    ),
  };
}
