import { formatNumber, t } from "../i18n/i18n.js";

const GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz";
/** About how wide a geohash cell of each length is. */
const CELL_SIZES = ["", "5000 km", "1250 km", "156 km", "39 km", "5 km", "1.2 km"];
const MAP_WIDTH = 400;
const MAX_GRID_LINES = 40;
/** Cells narrower than this (in the map's units) carry no number; the table below lists every cell. */
const MIN_LABELLED_CELL = 18;

interface Cell {
  cell: string;
  loans: number;
}

export interface PublishedLoanMap {
  cycle: string;
  precision: number;
  cells: Cell[];
}

/** A geohash cell's bounds in degrees. */
function cellBounds(cell: string) {
  const lat = [-90, 90];
  const lon = [-180, 180];
  let isLongitude = true;
  for (const character of cell) {
    const bits = GEOHASH.indexOf(character);
    for (let bit = 4; bit >= 0; bit--) {
      const range = isLongitude ? lon : lat;
      const middle = (range[0] + range[1]) / 2;
      if ((bits >> bit) & 1) range[0] = middle;
      else range[1] = middle;
      isLongitude = !isLongitude;
    }
  }
  return { south: lat[0], north: lat[1], west: lon[0], east: lon[1] };
}

/**
 * The published cells on a plain grid, one cell of margin around them, darker where more tools
 * were lent. No tiles and no coordinates are fetched from anywhere: the page knows only the cells.
 */
function MapDrawing({ cells, cycle }: { cells: Cell[]; cycle: string }) {
  const bounds = cells.map((c) => ({ ...c, ...cellBounds(c.cell) }));
  const cellHeight = bounds[0].north - bounds[0].south;
  const cellWidth = bounds[0].east - bounds[0].west;
  const south = Math.min(...bounds.map((b) => b.south)) - cellHeight;
  const north = Math.max(...bounds.map((b) => b.north)) + cellHeight;
  const west = Math.min(...bounds.map((b) => b.west)) - cellWidth;
  const east = Math.max(...bounds.map((b) => b.east)) + cellWidth;
  // Degrees of longitude shrink away from the equator: scale them so cells keep their shape.
  const xScale = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const unit = MAP_WIDTH / ((east - west) * xScale);
  const height = Math.max(80, Math.min(MAP_WIDTH, (north - south) * unit));
  const x = (longitude: number) => (longitude - west) * xScale * unit;
  const y = (latitude: number) => ((north - latitude) / (north - south)) * height;
  const most = Math.max(...cells.map((c) => c.loans));
  const isGridReadable = (east - west) / cellWidth <= MAX_GRID_LINES && (north - south) / cellHeight <= MAX_GRID_LINES;
  const verticals: number[] = [];
  const horizontals: number[] = [];
  if (isGridReadable) {
    for (let longitude = west; longitude <= east + cellWidth / 2; longitude += cellWidth) verticals.push(x(longitude));
    for (let latitude = south; latitude <= north + cellHeight / 2; latitude += cellHeight)
      horizontals.push(y(latitude));
  }
  return (
    <svg
      data-testid="loan-map-svg"
      role="img"
      aria-label={t("organize.loanMapImage", { cycle })}
      viewBox={`0 0 ${MAP_WIDTH} ${height.toFixed(1)}`}
      preserveAspectRatio="xMidYMid meet"
    >
      <rect class="ground" x="0" y="0" width={MAP_WIDTH} height={height.toFixed(1)} />
      {verticals.map((at) => (
        <line class="grid-line" x1={at.toFixed(1)} y1="0" x2={at.toFixed(1)} y2={height.toFixed(1)} />
      ))}
      {horizontals.map((at) => (
        <line class="grid-line" x1="0" y1={at.toFixed(1)} x2={MAP_WIDTH} y2={at.toFixed(1)} />
      ))}
      {bounds.map((b) => {
        const [left, top, right, bottom] = [x(b.west), y(b.north), x(b.east), y(b.south)];
        return (
          <g class="cell" data-cell={b.cell} data-loans={b.loans}>
            <rect
              x={left.toFixed(1)}
              y={top.toFixed(1)}
              width={(right - left).toFixed(1)}
              height={(bottom - top).toFixed(1)}
              fill-opacity={(0.3 + (0.7 * b.loans) / most).toFixed(2)}
            />
            <title>{t("organize.loansInCell", { cell: b.cell, loans: b.loans })}</title>
            {right - left >= MIN_LABELLED_CELL && (
              <text
                x={((left + right) / 2).toFixed(1)}
                y={((top + bottom) / 2).toFixed(1)}
                text-anchor="middle"
                dominant-baseline="central"
              >
                {formatNumber(b.loans)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Tools lent per coarse area in the cycle shown, as the tool library publishes them. */
export function LoanMap({ map, isAnswered }: { map: PublishedLoanMap | undefined; isAnswered: boolean }) {
  const legend = !map
    ? isAnswered
      ? t("organize.loanMapUnavailable")
      : ""
    : map.cells.length === 0
      ? t("organize.loanMapEmpty")
      : t("organize.loanMapLegend", { cycle: map.cycle, size: CELL_SIZES[map.precision] ?? "" });
  return (
    <figure class="card loan-map" data-testid="loan-map" data-cycle={map?.cycle ?? ""}>
      <figcaption>{t("organize.loanMapTitle")}</figcaption>
      <p class="muted legend" data-testid="loan-map-legend">
        {legend}
      </p>
      {map && map.cells.length > 0 && (
        <>
          <div class="map-box">
            <MapDrawing cells={map.cells} cycle={map.cycle} />
          </div>
          <table data-testid="loan-map-cells">
            <thead>
              <tr>
                <th scope="col">{t("organize.cell")}</th>
                <th scope="col" class="number">
                  {t("organize.loans")}
                </th>
              </tr>
            </thead>
            <tbody>
              {map.cells.map((cell) => (
                <tr data-cell={cell.cell}>
                  <td>{cell.cell}</td>
                  <td class="number">{formatNumber(cell.loans)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
