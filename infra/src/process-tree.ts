// Linux's /proc, read to find every process a command started and what each holds in memory.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  parentPid: number;
  /** The executable's short name (comm), e.g. "node", "postgres", "redis-server". */
  name: string;
  /** The whole command line, arguments joined by spaces. */
  command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The name is in parentheses and may itself hold spaces or parentheses: read from the last ")".
    const nameEnd = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, nameEnd);
    const parentPid = Number(stat.slice(nameEnd + 2).split(" ")[1]);
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, parentPid, name, command };
  } catch {
    return undefined; // ended while we looked
  }
}

export function listProcesses(): ProcessInfo[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readProcess(Number(entry)) ?? []);
}

/** The process and all its descendants that are running now. */
export function processTree(rootPid: number): ProcessInfo[] {
  const all = listProcesses();
  const children = new Map<number, ProcessInfo[]>();
  for (const info of all) children.set(info.parentPid, [...(children.get(info.parentPid) ?? []), info]);
  const root = all.find((info) => info.pid === rootPid);
  const tree: ProcessInfo[] = root ? [root] : [];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** Resident memory, and the proportional share (PSS) that counts shared pages once across processes. */
export function readMemory(pid: number): { rssKb: number; pssKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    let pssKb = rssKb;
    try {
      pssKb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? rssKb);
    } catch {
      // smaps_rollup is unreadable for another user's process without privileges: fall back to RSS
    }
    return { rssKb, pssKb };
  } catch {
    return undefined;
  }
}
