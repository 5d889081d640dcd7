import { describe, expect, inject, it } from "vitest";

const gatewayUrl = inject("gatewayUrl");

/** Everything a browser would fetch from elsewhere to show the page. */
function externalLoads(html: string): string[] {
  const loads = [
    ...html.matchAll(/<script[^>]*\ssrc=["']([^"']+)["']/gi),
    ...html.matchAll(/<link[^>]*\shref=["']([^"']+)["']/gi),
    ...html.matchAll(/<img[^>]*\ssrc=["']([^"']+)["']/gi),
    ...html.matchAll(/@import\s+(?:url\()?["']?([^"')\s;]+)/gi),
    ...html.matchAll(/url\(\s*["']?(https?:[^"')\s]+)/gi),
  ].map((match) => match[1]);
  return loads
    .filter((url) => /^(https?:)?\/\//i.test(url))
    .concat(html.match(/unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|cdnjs/gi) ?? []);
}

describe("GraphiQL and the landing page", () => {
  it("load no script, style, font or image from anywhere but the hub", async () => {
    const graphiql = await fetch(gatewayUrl, { headers: { accept: "text/html" } });
    expect(graphiql.status).toBe(200);
    const graphiqlHtml = await graphiql.text();
    expect(graphiqlHtml).toContain("YogaGraphiQL");
    expect(externalLoads(graphiqlHtml)).toEqual([]);

    const landing = await fetch(new URL("/", gatewayUrl), { headers: { accept: "text/html" } });
    expect(landing.status).toBe(200);
    const landingHtml = await landing.text();
    expect(landingHtml).toContain("/graphql");
    expect(externalLoads(landingHtml)).toEqual([]);
  });
});
