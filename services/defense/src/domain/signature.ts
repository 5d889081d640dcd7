import { createHmac, timingSafeEqual } from "node:crypto";

/** The signature a webhook receiver checks: HMAC-SHA256 of `<timestamp>.<body>` with the circle's secret. */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;
}

/** What a receiver does (and the tests do): recompute and compare in constant time. */
export function isValidWebhookSignature(
  secret: string,
  timestampSeconds: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestampSeconds, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
