import type { Readable } from "node:stream";

export const OUTPUT_TAIL_LINES = 200;

/** "passthrough" prints every line with the process name in front; "tail" only remembers the last lines. */
export type OutputMode = "passthrough" | "tail";

/** The last lines a process wrote, kept to explain a failure. */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly maxLines = OUTPUT_TAIL_LINES) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  pushText(text: string): void {
    for (const line of text.split("\n")) if (line.trim() !== "") this.push(line);
  }

  format(indent = "  | "): string {
    return this.lines.length === 0 ? `${indent}(no output)` : this.lines.map((line) => indent + line).join("\n");
  }
}

/** Calls onLine for each complete line of a stream, including a last line without a newline. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) onLine(line.replace(/\r$/, ""));
  });
  stream.on("end", () => {
    if (pending !== "") onLine(pending);
    pending = "";
  });
}

const PINO_LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
const PINO_FIELDS_SHOWN_ELSEWHERE = new Set(["level", "time", "pid", "hostname", "service", "name", "msg", "err"]);

/** Turns a pino JSON line into `12:03:04 INFO  message {fields}`; leaves any other line as it is. */
export function formatLogLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record.level !== "number" || typeof record.msg !== "string") return line;
  const time = typeof record.time === "string" ? record.time.slice(11, 19) : "";
  const level = (PINO_LEVEL_NAMES[record.level] ?? String(record.level)).padEnd(5);
  const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !PINO_FIELDS_SHOWN_ELSEWHERE.has(key)));
  const fieldText = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  const error = record.err as { stack?: string; message?: string } | undefined;
  const errorText = error ? `\n    ${(error.stack ?? error.message ?? "").replace(/\n/g, "\n    ")}` : "";
  return `${time} ${level} ${record.msg}${fieldText}${errorText}`;
}

const PREFIX_COLOURS = [36, 35, 33, 32, 34, 31];
let nextColour = 0;

/** A `[name] ` prefix, in a colour of its own when writing to a terminal. */
export function linePrefix(name: string): string {
  const isColoured = process.stdout.isTTY && !process.env.NO_COLOR;
  const colour = PREFIX_COLOURS[nextColour++ % PREFIX_COLOURS.length];
  return isColoured ? `\u001b[${colour}m[${name}]\u001b[0m ` : `[${name}] `;
}
