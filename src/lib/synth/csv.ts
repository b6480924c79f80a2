// The demo shop as CSV text (RFC 4180 quoting, "\n" line ends), written in ~1 MB pieces so a
// benchmark or a download never holds the whole file.

import { type DemoShop, formatCents } from './shop';

const PIECE_CHARS = 1 << 20;

/** One CSV field: quoted when it holds a comma, quote or line break; inner quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes the order-lines CSV (header + lines) to a sink in ~1 MB string pieces; for the ingest benchmark. */
export function writeDemoCsv(shop: DemoShop, write: (piece: string) => void, maxLines = Infinity): number {
  // Catalogue cells and list prices are formatted once, not once per line.
  const itemCells = shop.catalog.map((it) => `${csvField(it.itemId)},${csvField(it.name)},${csvField(it.category)},`);
  const listCents = shop.catalog.map((it) => Math.round(it.price * 100));
  const listPrices = listCents.map(formatCents);
  const quantities = Array.from({ length: 64 }, (_, i) => `${i - 32},`);
  let piece = shop.columns.map(csvField).join(',') + '\n';
  let written = 0;
  if (maxLines <= 0) {
    write(piece);
    return 0;
  }
  let orderId = '';
  let head = '';
  let timeCell = '';
  shop.forEachLine((line) => {
    if (line.orderId !== orderId) {
      orderId = line.orderId;
      head = `${orderId},${line.customerId},`;
      timeCell = `${line.timestamp},`;
    }
    const q = line.quantity;
    const i = line.item;
    piece +=
      head +
      itemCells[i] +
      timeCell +
      (q >= -32 && q < 32 ? quantities[q + 32] : `${q},`) +
      (line.unitCents === listCents[i] ? listPrices[i] : formatCents(line.unitCents)) +
      '\n';
    if (piece.length >= PIECE_CHARS) {
      write(piece);
      piece = '';
    }
    return ++written < maxLines;
  });
  if (piece.length > 0) write(piece);
  return written;
}
