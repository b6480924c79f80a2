// A text as the ingest pipeline's file source: its UTF-8 bytes in pieces of `size` bytes (which
// may cut a multi-byte character, as reading a file does).
import type { BytePiece, IngestSource } from '../../src/lib/ingest/pipeline';

async function* piecesOf(bytes: Uint8Array, size: number): AsyncGenerator<BytePiece> {
  for (let i = 0; i < bytes.length; i += size) {
    const data = bytes.subarray(i, i + size);
    yield { data, bytes: data.length };
  }
}

export function bytesSource(text: string, size = 1 << 16): IngestSource {
  const bytes = new TextEncoder().encode(text);
  return { kind: 'bytes', pieces: piecesOf(bytes, size), bytesTotal: bytes.length, encoding: 'utf-8' };
}
