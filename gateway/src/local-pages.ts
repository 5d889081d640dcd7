import type { GatewayPlugin } from "@graphql-hive/gateway";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

/**
 * GraphiQL with its scripts, styles and workers inside the page (@graphql-yoga/render-graphiql),
 * so opening it tells no third party and works without internet. Rendered once: the page is 9 MB.
 */
export function localGraphiQL(): () => string {
  let page: string | undefined;
  return () =>
    (page ??= renderGraphiQL({ title: "Rhizome GraphiQL", endpoint: "/graphql" } as Parameters<
      typeof renderGraphiQL
    >[0]));
}

const LANDING_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Rhizome</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1d2b24; }
      a { color: #2f6f4f; }
      code { background: #eef3ef; padding: 0 0.25rem; border-radius: 3px; }
    </style>
  </head>
  <body>
    <h1>Rhizome</h1>
    <p>A GraphQL hub for neighbourhood circles that meet their needs by voluntary cooperation.</p>
    <p>Members and organizers: <a href="/app/">the app</a> (organizers find their circle's figures under Organize).</p>
    <p>Send GraphQL to <code>/graphql</code>, or open <a href="/graphql">GraphiQL</a> to explore it.</p>
    <p>Health: <a href="/health"><code>/health</code></a>, readiness: <a href="/ready"><code>/ready</code></a>.</p>
  </body>
</html>
`;

/** The landing page at `/`, written here with nothing loaded from elsewhere (outside production only). */
export function useLocalLandingPage(): GatewayPlugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== "GET" || url.pathname !== "/") return;
      endResponse(
        new fetchAPI.Response(LANDING_PAGE, { status: 200, headers: { "content-type": "text/html; charset=utf-8" } }),
      );
    },
  };
}
