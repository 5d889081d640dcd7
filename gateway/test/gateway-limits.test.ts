import { describe, expect, inject, it } from "vitest";
import { request } from "node:http";

const gatewayUrl = inject("gatewayUrl");
const CHUNK_BYTES = 16 * 1024;

interface RawResponse {
  status: number;
  body: {
    data?: { circles?: { items?: unknown[] } };
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

/** Sends `body` in chunks (Transfer-Encoding: chunked, no Content-Length) unless headers say otherwise. */
function send(method: string, url: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method, headers: { "content-type": "application/json", ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    for (let offset = 0; offset < body.length; offset += CHUNK_BYTES)
      outgoing.write(body.slice(offset, offset + CHUNK_BYTES));
    outgoing.end();
  });
}

/** A valid GraphQL request padded with a long variable to `bytes`. */
function queryOfSize(bytes: number): string {
  const empty = JSON.stringify({ query: "{ circles(first: 1) { items { slug } } }", variables: { padding: "" } });
  return JSON.stringify({
    query: "{ circles(first: 1) { items { slug } } }",
    variables: { padding: "x".repeat(bytes - empty.length) },
  });
}

describe("the gateway's request size limit", () => {
  it("refuses a chunked 300 KB body that declares no length, counting the bytes it receives", async () => {
    const response = await send("POST", gatewayUrl, queryOfSize(300 * 1024));
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/larger than the limit of \d+ bytes/),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const body = queryOfSize(300 * 1024);
    const response = await send("POST", gatewayUrl, body, { "content-length": String(Buffer.byteLength(body)) });
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("still answers chunked and declared bodies under the limit, and GET queries", async () => {
    const chunked = await send("POST", gatewayUrl, queryOfSize(100 * 1024));
    expect(chunked.status).toBe(200);
    expect(Array.isArray(chunked.body.data?.circles?.items)).toBe(true);

    const small = JSON.stringify({ query: "{ circles(first: 1) { items { slug } } }" });
    const declared = await send("POST", gatewayUrl, small, { "content-length": String(Buffer.byteLength(small)) });
    expect(Array.isArray(declared.body.data?.circles?.items)).toBe(true);

    const url = new URL(gatewayUrl);
    url.searchParams.set("query", "{ circles(first: 1) { items { slug } } }");
    const viaGet = await send("GET", url.toString(), "", { accept: "application/graphql-response+json" });
    expect(viaGet.status).toBe(200);
    expect(Array.isArray(viaGet.body.data?.circles?.items)).toBe(true);
  });

  it("closes the connection of a refused request and answers the next one as usual", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await send("POST", gatewayUrl, queryOfSize(300 * 1024))).status).toBe(413);
      expect((await send("POST", gatewayUrl, queryOfSize(1024))).status).toBe(200);
    }
  });
});
