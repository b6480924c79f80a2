// Turning an on-screen chart into a file. serializeSvg copies the computed styles the chart
// needs into the clone, so the file looks like the screen without our stylesheet; PNG export draws
// that same SVG onto a canvas at `scale`× for sharp slides. DOM-only (call from the browser);
// the pure helpers are re-exported so callers need one import.
import { sanitizeFilename } from './helpers';

export {
  sanitizeFilename,
  truncateLabel,
  tickCountForWidth,
  formatCompact,
  currencyFormat,
} from './helpers';

/** Inherited presentation properties: written where they differ from the parent element. */
const INHERITED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'visibility',
  'shape-rendering',
] as const;

/** Non-inherited properties with the value that needs no mention. */
const OWN_DEFAULTS: Record<string, string> = { opacity: '1', display: 'inline' };

/** Declarations that reproduce `el`'s look given its parent's (`parent` null for the root). */
function styleDeclarations(el: Element, parent: CSSStyleDeclaration | null): string {
  const own = getComputedStyle(el);
  const decls: string[] = [];
  for (const p of INHERITED) {
    const v = own.getPropertyValue(p);
    if (v && (!parent || parent.getPropertyValue(p) !== v)) decls.push(`${p}:${v}`);
  }
  for (const [p, dflt] of Object.entries(OWN_DEFAULTS)) {
    const v = own.getPropertyValue(p);
    if (v && v !== dflt && !(p === 'display' && v === 'block')) decls.push(`${p}:${v}`);
  }
  return decls.join(';');
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Pixel size of the SVG as rendered. */
function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width) || Number(svg.getAttribute('width')) || 640;
  const height = Math.round(box.height) || Number(svg.getAttribute('height')) || 320;
  return { width, height };
}

/** Background colour to paint behind the chart: the first non-transparent one up the tree. */
function backgroundOf(el: Element): string {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') return bg;
  }
  return '#ffffff';
}

/**
 * Standalone SVG markup for `svg`: namespaces, explicit size, a background rect and every element's
 * computed presentation styles inlined (CSS variables and scoped classes resolve to plain values).
 */
export function serializeSvg(svg: SVGSVGElement): string {
  const { width, height } = svgSize(svg);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((orig, i) => {
    const copy = copies[i];
    const parent = orig === svg || !orig.parentElement ? null : getComputedStyle(orig.parentElement);
    const decl = styleDeclarations(orig, parent);
    if (decl) copy.setAttribute('style', decl);
    else copy.removeAttribute('style');
    // Interaction-only attributes mean nothing in a file; styles are inline now.
    copy.removeAttribute('tabindex');
    copy.removeAttribute('class');
  });
  // Framework markers (empty comments) are noise in a file.
  const walker = document.createTreeWalker(clone, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode?.removeChild(c);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', backgroundOf(svg));
  // After <title>/<desc> so they stay the document's first children.
  const firstMark = Array.from(clone.children).find((c) => c.tagName !== 'title' && c.tagName !== 'desc');
  clone.insertBefore(bg, firstMark ?? null);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

/** Saves `blob` under `filename` through a temporary link. */
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a moment later is safe.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the chart as an .svg file. */
export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  const blob = new Blob([serializeSvg(svg)], { type: 'image/svg+xml;charset=utf-8' });
  saveBlob(blob, sanitizeFilename(filename, 'svg'));
}

/** Renders the chart to a PNG blob at `scale`× its on-screen size. */
export async function renderPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([serializeSvg(svg)], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('PNG export: this browser gave no 2D canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export: canvas encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Downloads the chart as a .png file at `scale`× (2× by default, sharp on slides and retina). */
export async function downloadPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  saveBlob(await renderPng(svg, scale), sanitizeFilename(filename, 'png'));
}
