import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";

export const LOOPBACK_HOST = "127.0.0.1";

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, LOOPBACK_HOST, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Asks the operating system for `count` distinct free ports on the loopback interface.
 * All are held open until every one is chosen, so the OS never hands out the same port twice.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0));
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

export async function findFreePort(): Promise<number> {
  const [port] = await findFreePorts(1);
  return port;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/** Fails early, with a message that says how to choose another port, when a fixed port is taken. */
export async function assertPortIsFree(port: number, user: string, variable: string): Promise<void> {
  let server: Server;
  try {
    server = await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new PortInUseError(
      `Port ${port} (for ${user}) is already in use. Stop whatever uses it, or choose another port with ${variable}=<port>.`,
    );
  }
  await close(server);
}
