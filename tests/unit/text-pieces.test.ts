// Reading a file as text pieces (src/lib/ingest/text-pieces.ts): the BYOB path Node's Blob offers
// and the default-reader fallback give the same text, cut into pieces of the asked size, with
// multi-byte characters carried across piece boundaries and the reader released on early stop.
import { describe, expect, it } from 'vitest';
import { textPieces } from '../../src/lib/ingest/text-pieces';
import type { TextPiece } from '../../src/lib/ingest/pipeline';

async function collect(pieces: AsyncIterable<TextPiece>): Promise<TextPiece[]> {
  const out: TextPiece[] = [];
  for await (const p of pieces) out.push(p);
  return out;
}

/** A Blob whose stream is a plain (non-byte) stream in reads of `readBytes`: no BYOB reader. */
function plainStreamBlob(bytes: Uint8Array<ArrayBuffer>, readBytes: number): Blob {
  const blob = new Blob([bytes]);
  return Object.assign(blob, {
    stream: () => {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + readBytes));
          at += readBytes;
        },
      });
    },
  });
}

const text = 'order,item,price\n1,Café crème,3.50 €\n2,Smørrebrød,12 €\n'.repeat(7);
const utf8 = new TextEncoder().encode(text);

describe('textPieces', () => {
  it('uses a BYOB reader on a Blob here', () => {
    expect(() => new Blob([utf8]).stream().getReader({ mode: 'byob' })).not.toThrow();
  });

  for (const [name, blob] of [
    ['BYOB reader', new Blob([utf8])],
    ['default reader', plainStreamBlob(utf8, 5)],
  ] as const) {
    it(`${name}: same text, pieces of the asked size, characters kept whole across cuts`, async () => {
      // 7-byte pieces cut "é" (2 bytes), "ø" (2) and "€" (3) in many places.
      const pieces = await collect(textPieces(blob, 'utf-8', 7));
      expect(pieces.map((p) => p.text).join('')).toBe(text);
      expect(pieces.reduce((n, p) => n + p.bytes, 0)).toBe(utf8.length);
      if (name === 'BYOB reader') expect(pieces.slice(0, -1).every((p) => p.bytes === 7)).toBe(true);
      expect(pieces.some((p) => p.text.includes('\uFFFD'))).toBe(false);
    });
  }

  it('decodes Windows-1252', async () => {
    const bytes = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a]); // "café,€\n"
    const pieces = await collect(textPieces(new Blob([bytes]), 'windows-1252', 4));
    expect(pieces.map((p) => p.text).join('')).toBe('café,€\n');
  });

  it('an empty file is one empty piece', async () => {
    expect(await collect(textPieces(new Blob([]), 'utf-8', 16))).toEqual([{ text: '', bytes: 0 }]);
  });

  it('stopping early releases the stream', async () => {
    let cancelled = false;
    const blob = Object.assign(new Blob([utf8]), {
      stream: () =>
        new ReadableStream({
          type: 'bytes',
          pull(controller) {
            controller.enqueue(utf8.slice(0, 8));
          },
          cancel() {
            cancelled = true;
          },
        }),
    });
    for await (const piece of textPieces(blob, 'utf-8', 16)) {
      expect(piece.bytes).toBe(16);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
