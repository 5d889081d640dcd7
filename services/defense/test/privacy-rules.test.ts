import { describe, expect, it } from "vitest";
import { addressProblem, literalAddressOf } from "../src/domain/addresses.js";
import { alertRateProblem, alertRateWindow, MAX_ALERTS_PER_MEMBER_PER_WINDOW } from "../src/domain/alerts.js";
import { publishedHoldings, type CycleFlow } from "../src/domain/fund.js";
import {
  keyedTag,
  legacyAssociatedData,
  rowBoundAssociatedData,
  ROW_BOUND_FORMAT,
  sealText,
  unsealText,
} from "../src/domain/sealing.js";

describe("which addresses a webhook may reach", () => {
  it("allows public unicast only, judging IPv4 inside IPv6 as the IPv4 address it carries", () => {
    for (const address of ["93.184.215.14", "2606:4700::1111", "8.8.8.8"])
      expect(addressProblem(address, false)).toBeUndefined();
    const refused = [
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "169.254.169.254",
      "fe80::1",
      "10.0.0.1",
      "172.31.255.255",
      "192.168.0.1",
      "100.64.0.1",
      "100.127.255.254",
      "fc00::1",
      "fd12:3456::1",
      "0.0.0.0",
      "::",
      "224.0.0.1",
      "ff02::1",
      "255.255.255.255",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::ffff:10.0.0.1",
      "::7f00:1",
      "198.18.0.1",
      "192.0.2.1",
      "64:ff9b::a9fe:a9fe",
      "2002:7f00:1::",
      "fec0::1",
    ];
    for (const address of refused)
      expect({ address, problem: addressProblem(address, false) }).toEqual({
        address,
        problem: expect.stringContaining("not a public address"),
      });
  });

  it("allows loopback only when told to, and nothing else private then", () => {
    expect(addressProblem("127.0.0.1", true)).toBeUndefined();
    expect(addressProblem("::1", true)).toBeUndefined();
    expect(addressProblem("169.254.169.254", true)).toContain("not a public address");
    expect(addressProblem("10.0.0.1", true)).toContain("not a public address");
  });

  it("reads an address written in a URL's host, brackets and all, and leaves names to the resolver", () => {
    expect(literalAddressOf("[::1]")).toBe("::1");
    expect(literalAddressOf("127.0.0.1")).toBe("127.0.0.1");
    expect(literalAddressOf("sms.example.org")).toBeUndefined();
    expect(literalAddressOf("cafe")).toBeUndefined();
  });
});

describe("the raise limit", () => {
  it("refuses the alert past the limit in a window of the hub's clock, and says until when", () => {
    const now = new Date("2031-03-03T09:20:00Z");
    const window = alertRateWindow(now);
    expect(window.endsAt).toEqual(new Date("2031-03-03T10:00:00Z"));
    expect(alertRateProblem(MAX_ALERTS_PER_MEMBER_PER_WINDOW, window.endsAt)).toBeUndefined();
    expect(alertRateProblem(MAX_ALERTS_PER_MEMBER_PER_WINDOW + 1, window.endsAt)).toBe(
      `You can raise at most ${MAX_ALERTS_PER_MEMBER_PER_WINDOW} alerts in 60 minutes in a circle; this one was not raised. You can raise again from 2031-03-03T10:00:00.000Z.`,
    );
    expect(alertRateWindow(new Date("2031-03-03T10:00:00Z")).index).toBe(window.index + 1);
  });
});

describe("the fund's holdings as members read them", () => {
  const flow = (cycle: string, netMinor: number, contributions: number, recipients: string[]): CycleFlow => ({
    currency: "EUR",
    cycle,
    netMinor,
    contributions,
    recipientMemberIds: recipients,
  });

  it("are a closed cycle's figure, replaced only when contributions alone or payments to at least 5 people moved it", () => {
    const flows = [
      flow("2031-01-01", 10_000, 3, []), // contributions only: published
      flow("2031-01-30", -1_234, 0, ["a"]), // one payment: the figure stays
      flow("2031-02-28", 500, 1, []), // still pending behind that one payment
      flow("2031-03-29", -2_000, 0, ["b", "c", "d", "e"]), // now 5 people since the last figure: published
      flow("2031-04-27", -999, 0, ["f"]), // the current cycle: never shown live
    ];
    expect(publishedHoldings(flows.slice(0, 1), "2031-01-30")).toEqual([
      { currency: "EUR", heldMinor: 10_000, asOfCycle: "2031-01-01" },
    ]);
    expect(publishedHoldings(flows.slice(0, 3), "2031-03-29")).toEqual([
      { currency: "EUR", heldMinor: 10_000, asOfCycle: "2031-01-01" },
    ]);
    expect(publishedHoldings(flows, "2031-04-27")).toEqual([
      { currency: "EUR", heldMinor: 10_000 - 1_234 + 500 - 2_000, asOfCycle: "2031-03-29" },
    ]);
    expect(publishedHoldings([flow("2031-01-01", -5, 0, ["a"])], "2031-01-30")).toEqual([
      { currency: "EUR", heldMinor: null, asOfCycle: null },
    ]);
  });
});

describe("sealed values", () => {
  it("bind their row: a value sealed for one row does not open for another, and the raiser's tag differs by alert", () => {
    const key = Buffer.alloc(32, 9);
    const sealed = sealText(
      key,
      "+44 7700 900123",
      rowBoundAssociatedData("contact", "circle", "row-1"),
      ROW_BOUND_FORMAT,
    );
    expect(unsealText(key, sealed, rowBoundAssociatedData("contact", "circle", "row-1"))).toBe("+44 7700 900123");
    expect(() => unsealText(key, sealed, rowBoundAssociatedData("contact", "circle", "row-2"))).toThrow(/did not open/);
    expect(() => unsealText(key, sealed, legacyAssociatedData("contact", "circle"))).toThrow(/did not open/);
    expect(keyedTag(key, "alert-raiser:a1:m1").equals(keyedTag(key, "alert-raiser:a2:m1"))).toBe(false);
    expect(keyedTag(key, "alert-raiser:a1:m1").equals(keyedTag(Buffer.alloc(32, 8), "alert-raiser:a1:m1"))).toBe(false);
  });
});
