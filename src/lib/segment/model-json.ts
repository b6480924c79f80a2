// A segmentation run as a JSON file a user can keep, share and import again: typed arrays are
// written as tagged number lists, and everything is checked on the way back in.

import type { SegmentationResult } from './run';

export const MODEL_FORMAT = 'shoplens-segmentation';
export const MODEL_VERSION = 1;

const TYPED = {
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

export class ModelFormatError extends Error {
  constructor(message: string) {
    super(`Not a ShopLens segmentation file: ${message}`);
    this.name = 'ModelFormatError';
  }
}

export function runToJson(run: SegmentationResult): string {
  return JSON.stringify({ format: MODEL_FORMAT, version: MODEL_VERSION, run }, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      if (!(name in TYPED)) throw new Error(`cannot serialise ${name}`);
      return { $typed: name, values: Array.from(value as unknown as ArrayLike<number>) };
    }
    return value;
  });
}

export function runFromJson(text: string): SegmentationResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && '$typed' in value && 'values' in value) {
        const { $typed, values } = value as { $typed: unknown; values: unknown };
        if (typeof $typed !== 'string' || !($typed in TYPED) || !Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
          throw new ModelFormatError(`a number list is malformed (${String($typed)})`);
        }
        return TYPED[$typed as TypedName].from(values as number[]);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`the text is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parsed as { format?: unknown; version?: unknown; run?: unknown };
  if (doc?.format !== MODEL_FORMAT) throw new ModelFormatError('its "format" field is missing or different');
  if (doc.version !== MODEL_VERSION) throw new ModelFormatError(`version ${String(doc.version)} is not supported (expected ${MODEL_VERSION})`);
  const run = doc.run as SegmentationResult;
  checkRun(run);
  return run;
}

function checkRun(run: SegmentationResult): void {
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new ModelFormatError(what);
  };
  need(!!run && typeof run === 'object', 'no "run" object');
  need(Number.isInteger(run.k) && run.k >= 1, '"k" must be a positive integer');
  need(run.customers instanceof Uint32Array, '"customers" must be a Uint32Array list');
  need(run.labels instanceof Int32Array && run.labels.length === run.customers.length, '"labels" must have one entry per customer');
  need(run.labels.every((l) => l >= 0 && l < run.k), '"labels" must lie in 0…k−1');
  need(Array.isArray(run.features) && run.features.length > 0, '"features" must list the features');
  const d = run.params?.prep?.features?.length ?? 0;
  need(d > 0, '"params.prep.features" is missing');
  need(run.centers instanceof Float32Array && run.centers.length === run.k * d, '"centers" must be k × (number of features) numbers');
  need(Array.isArray(run.scaling?.center) && run.scaling.center.length === d && run.scaling.scale.length === d, '"scaling" must give one centre and scale per feature');
  need(run.projection instanceof Float32Array && run.projection.length === 2 * run.customers.length, '"projection" must have two numbers per customer');
  need(run.centerProjection instanceof Float32Array && run.centerProjection.length === 2 * run.k, '"centerProjection" must have two numbers per segment');
  need(Array.isArray(run.names) && run.names.length === run.k && run.names.every((n) => typeof n === 'string'), '"names" must give one name per segment');
  need(Array.isArray(run.profiles) && run.profiles.length === run.k, '"profiles" must describe each segment');
  need(Array.isArray(run.candidates), '"candidates" is missing');
}
