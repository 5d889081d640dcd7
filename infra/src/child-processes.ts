import { spawn, type ChildProcess } from "node:child_process";
import { formatLogLine, forEachLine, linePrefix, OutputTail, type OutputMode } from "./process-output.js";
import { TIMED_OUT, withTimeout } from "./timing.js";

/** Longer than the kit's own 10 s shutdown limit, so a service can finish in-flight work before it is killed. */
export const STOP_TIMEOUT_MS = 12_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  output: OutputMode;
  /** Sees every line the process writes, as written (e.g. for a test that reads the logs). */
  onLine?: (line: string) => void;
}

const running = new Set<ManagedProcess>();

// Last resort when this process exits without stopping its children (an uncaught error, process.exit
// elsewhere): ask them to stop, so nothing is left behind. Only synchronous work is possible here.
process.once("exit", () => {
  for (const child of running) child.signal("SIGTERM");
});

/** A child process whose output is passed through or kept as a tail, and which can be stopped reliably. */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly tail = new OutputTail();
  private exit: ProcessExit | undefined;
  private isStopRequested = false;

  constructor(
    readonly name: string,
    options: SpawnOptions,
  ) {
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(this);
    const prefix = options.output === "passthrough" ? linePrefix(name) : "";
    const handle = (destination: NodeJS.WriteStream) => (line: string) => {
      options.onLine?.(line);
      for (const readable of formatLogLine(line).split("\n")) {
        this.tail.push(readable);
        if (options.output === "passthrough") destination.write(`${prefix}${readable}\n`);
      }
    };
    forEachLine(this.child.stdout!, handle(process.stdout));
    forEachLine(this.child.stderr!, handle(process.stderr));
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProcessExit) => {
        if (this.exit) return;
        this.exit = exit;
        running.delete(this);
        resolve(exit);
      };
      // "close" waits for the output streams to end, so the tail is complete when we report it.
      this.child.once("close", (code, signal) => finish({ code, signal }));
      this.child.once("error", (error) => {
        this.tail.push(`could not run ${options.command}: ${error.message}`);
        if (this.child.pid === undefined) finish({ code: null, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** True once stop() was called: an exit after that is expected. */
  get isStopping(): boolean {
    return this.isStopRequested;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  outputTail(): string {
    return this.tail.format();
  }

  describeExit(): string {
    if (!this.exit) return "still running";
    return this.exit.signal ? `killed by ${this.exit.signal}` : `exit code ${this.exit.code ?? "unknown"}`;
  }

  /** Asks the process to stop with SIGTERM; kills it with SIGKILL if it is still running after timeoutMs. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    this.isStopRequested = true;
    if (this.hasExited) return;
    this.signal("SIGTERM");
    if ((await withTimeout(this.exited, timeoutMs)) === TIMED_OUT) {
      this.tail.push(`(did not stop within ${timeoutMs} ms of SIGTERM; sent SIGKILL)`);
      this.signal("SIGKILL");
      await this.exited;
    }
  }
}

export function spawnManaged(name: string, options: SpawnOptions): ManagedProcess {
  return new ManagedProcess(name, options);
}

/** A message for a process that ended on its own, with the last lines it wrote. */
export function describeUnexpectedExit(process: ManagedProcess, when: string): string {
  return `${process.name} ${when} (${process.describeExit()}). Last lines of its output:\n${process.outputTail()}`;
}
