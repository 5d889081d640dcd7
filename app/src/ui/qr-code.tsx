import { useEffect, useState } from "preact/hooks";

/**
 * A QR code of `text`, drawn as one SVG path (no HTML injected, nothing loaded from elsewhere).
 * The encoder (uqr, no dependencies) is loaded only when a code is shown, so the first screens
 * download none of it. Decorative beside the same text in large type: hidden from screen readers.
 */
export function QrCode({ text, testId }: { text: string; testId?: string }) {
  const [modules, setModules] = useState<boolean[][]>();
  useEffect(() => {
    let current = true;
    void import("uqr").then(({ encode }) => {
      if (current) setModules(encode(text, { ecc: "M", border: 2 }).data);
    });
    return () => {
      current = false;
    };
  }, [text]);
  if (!modules) return null;
  const size = modules.length;
  const path = modules.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x} ${y}h1v1h-1z`] : []))).join("");
  return (
    <svg
      class="qr"
      data-testid={testId}
      viewBox={`0 0 ${size} ${size}`}
      width="184"
      height="184"
      aria-hidden="true"
      focusable="false"
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
