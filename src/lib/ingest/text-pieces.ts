// A file's text in pieces of `pieceBytes` (the last one shorter), decoded with the given
// encoding; a character cut between two pieces is carried over by the streaming decoder.
//
// Where the stream supports it (Chromium, Firefox, Node), the bytes are read with a BYOB reader
// into one buffer reused for every piece and decoded once per piece. The default reader hands
// out a fresh ArrayBuffer for every read (~64 KB each in Chromium) and the decoded parts then
// have to be joined: two extra copies of the file in fresh memory, which on a machine where
// first-touching memory is slow (this project's 2-core VM: ~3.5 ms per MB) costs more than the
// copying itself.
import type { TextPiece } from './pipeline';

export async function* textPieces(file: Blob, encoding: string, pieceBytes: number): AsyncGenerator<TextPiece> {
  const decoder = new TextDecoder(encoding);
  const stream = file.stream();
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream here: read with the default reader below.
  }
  if (byob) yield* byobPieces(byob, decoder, pieceBytes);
  else yield* defaultPieces(stream.getReader(), decoder, pieceBytes);
}

async function* byobPieces(reader: ReadableStreamBYOBReader, decoder: TextDecoder, pieceBytes: number): AsyncGenerator<TextPiece> {
  let buffer = new ArrayBuffer(pieceBytes);
  try {
    for (;;) {
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
      yield { text: decoder.decode(new Uint8Array(buffer, 0, filled), { stream: !done }), bytes: filled };
      if (done) return;
    }
  } finally {
    // Stopped early (a cancelled import): let go of the file.
    await reader.cancel().catch(() => undefined);
  }
}

async function* defaultPieces(reader: ReadableStreamDefaultReader<Uint8Array>, decoder: TextDecoder, pieceBytes: number): AsyncGenerator<TextPiece> {
  let parts: string[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(decoder.decode(value, { stream: true }));
      bytes += value.byteLength;
      if (bytes >= pieceBytes) {
        yield { text: parts.join(''), bytes };
        parts = [];
        bytes = 0;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  parts.push(decoder.decode());
  yield { text: parts.join(''), bytes };
}
