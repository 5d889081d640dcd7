import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "preact/hooks";
import { formatNumber, t } from "../i18n/i18n.js";

// Only the pieces drawn here: the rest of chart.js stays out of the chunk.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
);

const GREEN = "#1f5c3f";
const AMBER = "#8a4b0f";

export interface ChartSeries {
  labels: string[];
  /** What each bar stands for, in `data-values` (the labels are in the member's language); the labels when absent. */
  keys?: string[];
  values: Array<number | null>;
}

/**
 * One chart drawn by chart.js on a canvas, with the same figures as text for screen readers
 * (the canvas is an image named by its values) and in `data-values` for whoever reads the page.
 */
export function FigureChart({
  testId,
  kind,
  series,
  isHorizontal = false,
  isTall = false,
}: {
  testId: string;
  kind: "bar" | "line";
  series: ChartSeries;
  isHorizontal?: boolean;
  isTall?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels: series.labels,
        datasets: [
          {
            data: series.values,
            backgroundColor: kind === "line" ? AMBER : GREEN,
            borderColor: kind === "line" ? AMBER : GREEN,
            spanGaps: true,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: isHorizontal ? "y" : "x",
        plugins: { legend: { display: false } },
      },
    });
    return () => chart.destroy();
  }, [kind, isHorizontal, JSON.stringify(series)]);
  const summary = series.labels
    .map((label, index) => `${label}: ${series.values[index] === null ? "—" : formatNumber(series.values[index]!)}`)
    .join("; ");
  return (
    <div class={isTall ? "canvas-box tall" : "canvas-box"}>
      <canvas
        ref={canvas}
        data-testid={testId}
        data-values={JSON.stringify((series.keys ?? series.labels).map((key, index) => [key, series.values[index]]))}
        role="img"
        aria-label={t("organize.chartSummary", { values: summary })}
      />
    </div>
  );
}
