import { randomInt } from "node:crypto";
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
 * Ports are drawn at random below the ephemeral range (32768-60999 on Linux, 49152 and up
 * elsewhere). A port the OS hands out for port 0 comes from that range, where every outgoing
 * connection of every process takes its local port too: between the moment a port is found free
 * and the moment its process binds it, a connection to Postgres or another hub started alongside
 * could take it. Below the range, only another choice of this kind can, one in thousands.
 */
const FIRST_CHOSEN_PORT = 20_000;
const CHOSEN_PORTS = 12_000;
const MAX_TRIES_PER_PORT = 50;

/**
 * Finds `count` distinct free ports on the loopback interface. All are held open until every one
 * is chosen, so none is chosen twice.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries >= count * MAX_TRIES_PER_PORT) servers.push(await listen(0));
      else {
        const port = FIRST_CHOSEN_PORT + randomInt(CHOSEN_PORTS);
        const server = await listen(port).catch(() => undefined);
        if (server) servers.push(server);
      }
    }
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
