// Types shared by ChartFrame and the chart components built on it.

/** What ChartFrame hands its content: the tooltip, placed in the SVG's pixel coordinates. */
export interface ChartApi {
  /** Shows `text` (plain text, never HTML; "\n" starts a new line) anchored at (x, y). */
  show(text: string, x: number, y: number): void;
  hide(): void;
}

/** Space around the plot area for axes and their labels, in px. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** One axis tick: its position along the axis (px), the text shown and, if shortened, the full text. */
export interface Tick {
  pos: number;
  label: string;
  full?: string;
}
