// Reading a file as byte pieces (src/lib/ingest/file-pieces.ts): the BYOB path Node's Blob offers
// and the default-reader fallback give the same bytes, in pieces of the asked size, each valid
// while the next is read; UTF-16 files come out as UTF-8 with characters kept whole across cuts;
// the reader is released on early stop.
import { describe, expect, it } from 'vitest';
import { filePieces } from '../../src/lib/ingest/file-pieces';
import type { BytePiece } from '../../src/lib/ingest/pipeline';

/** Every piece, copied when it arrives, and checked unchanged after the next one was read. */
async function collect(pieces: AsyncIterable<BytePiece>): Promise<{ data: Uint8Array; bytes: number }[]> {
  const out: { data: Uint8Array; bytes: number; view: Uint8Array }[] = [];
  for await (const p of pieces) {
    const prev = out[out.length - 1];
    if (prev) expect(Buffer.compare(prev.view, prev.data)).toBe(0);
    out.push({ data: p.data.slice(), bytes: p.bytes, view: p.data });
  }
  return out.map(({ data, bytes }) => ({ data, bytes }));
}

const joined = (pieces: { data: Uint8Array }[]): Buffer => Buffer.concat(pieces.map((p) => p.data));

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

describe('filePieces', () => {
  it('uses a BYOB reader on a Blob here', () => {
    expect(() => new Blob([utf8]).stream().getReader({ mode: 'byob' })).not.toThrow();
  });

  for (const [name, blob] of [
    ['BYOB reader', new Blob([utf8])],
    ['default reader', plainStreamBlob(utf8, 5)],
  ] as const) {
    it(`${name}: the same bytes, in pieces of the asked size, each valid while the next is read`, async () => {
      const { pieces, encoding } = filePieces(blob, 'utf-8', 7);
      expect(encoding).toBe('utf-8');
      const got = await collect(pieces);
      expect(joined(got).equals(Buffer.from(utf8))).toBe(true);
      expect(got.reduce((n, p) => n + p.bytes, 0)).toBe(utf8.length);
      expect(got.slice(0, -1).every((p) => p.data.length >= 7)).toBe(true);
      if (name === 'BYOB reader') expect(got.slice(0, -1).every((p) => p.data.length === 7)).toBe(true);
    });
  }

  it('passes Windows-1252 bytes through (ASCII-compatible: the splitter reads them)', async () => {
    const bytes = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a]); // "café,€\n"
    const { pieces, encoding } = filePieces(new Blob([bytes]), 'windows-1252', 4);
    expect(encoding).toBe('windows-1252');
    expect(joined(await collect(pieces)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('transcodes UTF-16 to UTF-8, keeping characters and surrogate pairs whole across cuts', async () => {
    const wide = 'id,name\n1,Café 🍰\n2,Smørrebrød\n'.repeat(5);
    for (const [encoding, bom] of [
      ['utf-16le', [0xff, 0xfe]],
      ['utf-16be', [0xfe, 0xff]],
    ] as const) {
      const units = Buffer.from(wide, 'utf16le');
      if (encoding === 'utf-16be') units.swap16();
      const file = new Blob([Uint8Array.from(bom), units]);
      // 3-byte pieces cut code units and surrogate pairs everywhere.
      const { pieces, encoding: out } = filePieces(file, encoding, 3);
      expect(out).toBe('utf-8');
      const got = await collect(pieces);
      expect(joined(got).toString('utf8')).toBe(wide);
      expect(got.reduce((n, p) => n + p.bytes, 0)).toBe(file.size);
    }
  });

  it('an empty file is one empty piece', async () => {
    const got = await collect(filePieces(new Blob([]), 'utf-8', 16).pieces);
    expect(joined(got).length).toBe(0);
    expect(got.length).toBe(1);
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
    for await (const piece of filePieces(blob, 'utf-8', 16).pieces) {
      expect(piece.bytes).toBe(16);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
