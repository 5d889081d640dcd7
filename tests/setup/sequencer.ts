import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that start a whole hub of their own (tests/ops) take one to two minutes each, then those
 * that drive a browser (tests/app) or several hubs (tests/federation); the rest take seconds. Run
 * in that order, the long ones start first and the short ones fill in around them, instead of a
 * long file starting last and the run waiting on it alone: on a fresh clone vitest knows no
 * durations and orders files by size. Within each kind, vitest's own order (longest known first).
 */
const LONG_FIRST = ["tests/ops/", "tests/app/", "tests/federation/"];

function rankOf(file: TestSpecification): number {
  const rank = LONG_FIRST.findIndex((folder) => file.moduleId.includes(`/${folder}`));
  return rank === -1 ? LONG_FIRST.length : rank;
}

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    return ordered
      .map((file, index) => ({ file, index, rank: rankOf(file) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ file }) => file);
  }
}
