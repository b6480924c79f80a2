// A file's bytes in pieces of `pieceBytes` (the last one shorter), for ByteRowSplitter. Files in
// an encoding whose ASCII bytes are not ASCII characters (UTF-16) are transcoded to UTF-8 on the
// way; a character cut between two pieces is carried over by the streaming decoder.
//
// Where the stream supports it (Chromium, Firefox, Node), the bytes are read with a BYOB reader
// into two buffers used in turn: the pipeline parses one piece while the next is read, and the
// splitter copies what it keeps. The default reader hands out a fresh ArrayBuffer for every read
// (~64 KB each in Chromium): a copy of the file in fresh memory, which on a machine where
// first-touching memory is slow (this project's 2-core VM: ~3.5 ms per MB) costs more than the
// copying itself.
import { isAsciiCompatible } from '../data/byte-rows';
import type { BytePiece } from './pipeline';

/**
 * The pieces and the encoding they are in (the file's, or UTF-8 after transcoding). A piece's
 * bytes stay valid until the piece after the next is asked for.
 */
export function filePieces(file: Blob, encoding: string, pieceBytes: number): { pieces: AsyncGenerator<BytePiece>; encoding: string } {
  const raw = rawPieces(file, pieceBytes);
  if (isAsciiCompatible(encoding)) return { pieces: raw, encoding };
  return { pieces: transcodeToUtf8(raw, encoding), encoding: 'utf-8' };
}

async function* rawPieces(file: Blob, pieceBytes: number): AsyncGenerator<BytePiece> {
  const stream = file.stream();
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream here: read with the default reader below.
  }
  if (byob) yield* byobPieces(byob, pieceBytes);
  else yield* defaultPieces(stream.getReader(), pieceBytes);
}

async function* byobPieces(reader: ReadableStreamBYOBReader, pieceBytes: number): AsyncGenerator<BytePiece> {
  const buffers = [new ArrayBuffer(pieceBytes), new ArrayBuffer(pieceBytes)];
  let turn = 0;
  try {
    for (;;) {
      let buffer = buffers[turn];
      let filled = 0;
      let done = false;
      while (filled < pieceBytes) {
        // The read takes the buffer over and gives it back in `value` (same memory, new object).
        const result = await reader.read(new Uint8Array(buffer, filled, pieceBytes - filled));
        if (result.value) {
          buffer = result.value.buffer as ArrayBuffer;
          filled += result.value.byteLength;
        }
        if (result.done) {
          done = true;
          break;
        }
      }
      buffers[turn] = buffer;
      turn = 1 - turn;
      yield { data: new Uint8Array(buffer, 0, filled), bytes: filled };
      if (done) return;
    }
  } finally {
    // Stopped early (a cancelled import): let go of the file.
    await reader.cancel().catch(() => undefined);
  }
}

async function* defaultPieces(reader: ReadableStreamDefaultReader<Uint8Array>, pieceBytes: number): AsyncGenerator<BytePiece> {
  let parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) {
        parts.push(value);
        size += value.byteLength;
      }
      // Reads are small (~64 KB): gathered into pieces, so the pipeline's per-piece work stays rare.
      if (size >= pieceBytes || done) {
        const data = parts.length === 1 ? parts[0] : new Uint8Array(size);
        if (parts.length > 1) {
          let at = 0;
          for (const part of parts) {
            data.set(part, at);
            at += part.byteLength;
          }
        }
        yield { data, bytes: size };
        parts = [];
        size = 0;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function* transcodeToUtf8(pieces: AsyncIterable<BytePiece>, encoding: string): AsyncGenerator<BytePiece> {
  const decoder = new TextDecoder(encoding);
  const encoder = new TextEncoder();
  for await (const piece of pieces) yield { data: encoder.encode(decoder.decode(piece.data, { stream: true })), bytes: piece.bytes };
  yield { data: encoder.encode(decoder.decode()), bytes: 0 };
}
