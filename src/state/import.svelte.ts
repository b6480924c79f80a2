// One import at a time, as a small state machine the Data view renders:
// idle → mapping (detected, editable) → running (progress, cancel) → finished (report) | failed.

import type { Delimiter, Detection, ImportSettings, ImportReport, BadRow } from '../lib/data/schema';
import type { IngestProgress } from '../lib/ingest/progress';
import type { DatasetMeta } from '../lib/store';
import { callData, Comlink } from '../client/ingest';
import { datasets, messageOf } from './datasets.svelte';
import { jobs } from './jobs.svelte';
import { formatInt } from '../views/format';

export type ImportPhase =
  | { step: 'idle' }
  | { step: 'detecting'; fileName: string }
  | {
      step: 'mapping';
      file: File;
      detection: Detection;
      settings: ImportSettings;
      name: string;
      /** Import as a customer table (one row per customer) instead of events. */
      asTable: boolean;
      /** Why the table option was (or was not) chosen automatically. */
      tableHint: string;
    }
  | { step: 'running'; jobId: string; label: string; progress: IngestProgress | null }
  | { step: 'finished'; dataset: DatasetMeta; report: ImportReport; firstBadRows: BadRow[] }
  | { step: 'failed'; message: string };

let jobCounter = 0;

class ImportState {
  phase = $state<ImportPhase>({ step: 'idle' });

  async chooseFile(file: File): Promise<void> {
    if (this.phase.step === 'running') return;
    this.phase = { step: 'detecting', fileName: file.name };
    try {
      if (file.size === 0) throw new Error(`${file.name} is empty.`);
      const detection = await callData((api) => api.detect(file));
      const guess = tableGuess(detection);
      this.phase = {
        step: 'mapping',
        file,
        detection,
        settings: settingsOf(detection),
        name: file.name.replace(/\.[^.]+$/, '') || file.name,
        asTable: guess.asTable,
        tableHint: guess.hint,
      };
    } catch (error) {
      this.phase = { step: 'failed', message: `Could not read ${file.name}: ${messageOf(error)}` };
    }
  }

  /** After the user changes delimiter or header, the columns and preview rows are derived again. */
  async reshape(delimiter: Delimiter, hasHeader: boolean): Promise<void> {
    const phase = this.phase;
    if (phase.step !== 'mapping') return;
    const { columns, sample } = await callData((api) => api.preview(phase.file, delimiter, hasHeader));
    const sameShape = columns.length === phase.settings.columns.length;
    this.phase = {
      ...phase,
      detection: { ...phase.detection, sample, columns },
      settings: {
        ...phase.settings,
        delimiter,
        hasHeader,
        columns,
        mapping: sameShape ? phase.settings.mapping : {},
        layout: 'custom',
      },
    };
  }

  /** Switches the mapping step between an event import and a customer-table import. */
  setAsTable(asTable: boolean): void {
    if (this.phase.step === 'mapping') this.phase = { ...this.phase, asTable };
  }

  async startFile(): Promise<void> {
    const phase = this.phase;
    if (phase.step !== 'mapping') return;
    const { file, settings, name } = phase;
    if (phase.asTable) {
      await this.run(`Importing the customer table ${file.name}`, (jobId, onProgress) =>
        callData((api) => api.importCustomerTable(jobId, file, onProgress, name)),
      );
      return;
    }
    await this.run(`Importing ${file.name}`, (jobId, onProgress) =>
      callData((api) => api.importFile(jobId, file, $state.snapshot(settings) as ImportSettings, name, onProgress)),
    );
  }

  async startDemo(): Promise<void> {
    if (this.phase.step === 'running') return;
    await this.run('Building the demo shop', (jobId, onProgress) =>
      callData((api) => api.importDemo(jobId, {}, onProgress)),
    );
  }

  cancel(): void {
    const phase = this.phase;
    if (phase.step !== 'running') return;
    void callData((api) => api.cancel(phase.jobId));
  }

  reset(): void {
    if (this.phase.step !== 'running') this.phase = { step: 'idle' };
  }

  private async run(
    label: string,
    start: (jobId: string, onProgress: (p: IngestProgress) => void) => Promise<DatasetMeta>,
  ): Promise<void> {
    const jobId = `import-${Date.now()}-${++jobCounter}`;
    this.phase = { step: 'running', jobId, label, progress: null };
    const job = jobs.add(label, () => this.cancel());
    const onProgress = Comlink.proxy((progress: IngestProgress) => {
      if (this.phase.step === 'running' && this.phase.jobId === jobId) {
        this.phase = { ...this.phase, progress };
      }
      jobs.update(job, progress.fraction, progressText(progress));
    });
    try {
      const dataset = await start(jobId, onProgress);
      const report = await callData((api) => api.getImportReport(dataset.id));
      this.phase = { step: 'finished', dataset, report, firstBadRows: report.firstBadRows };
      await datasets.refresh();
      datasets.setActive(dataset.id);
    } catch (error) {
      const message = messageOf(error);
      const cancelled = /cancel/i.test(message);
      this.phase = cancelled ? { step: 'idle' } : { step: 'failed', message };
      datasets.notify(cancelled ? 'info' : 'error', cancelled ? 'Import cancelled; nothing was kept.' : message);
      await datasets.refresh();
    } finally {
      jobs.remove(job);
    }
  }
}

/**
 * A file reads as a customer table when the detector found no customer, item or time column but
 * a column of the sample has exactly two values (a yes/no outcome to predict).
 */
export function tableGuess(d: Detection): { asTable: boolean; hint: string } {
  const m = d.mapping;
  const binary = d.columns.filter((_, c) => {
    const values = new Set(d.sample.map((row) => (row[c] ?? '').trim()).filter((v) => v !== ''));
    return values.size === 2;
  });
  const roles = m.customer !== undefined || m.item !== undefined || m.timestamp !== undefined;
  if (binary.length === 0) return { asTable: false, hint: 'No column of the first rows has exactly two values, so there is no obvious yes/no outcome to predict.' };
  const named = `two-valued column${binary.length > 1 ? 's' : ''} ${binary.slice(0, 4).map((b) => `“${b}”`).join(', ')}${binary.length > 4 ? '…' : ''}`;
  if (roles) return { asTable: false, hint: `Customer, item or date columns were recognised, so it looks like events; it also has the ${named}.` };
  return { asTable: true, hint: `No customer, item or date column was recognised, and the ${named} can be a target.` };
}

function settingsOf(d: Detection): ImportSettings {
  return {
    delimiter: d.delimiter,
    hasHeader: d.hasHeader,
    columns: d.columns,
    layout: d.layout,
    mapping: { ...d.mapping },
    dateFormat: d.dateFormat,
  };
}

export function progressText(p: IngestProgress): string {
  const rows = formatInt(p.linesRead);
  const rate = formatInt(p.rowsPerSecond);
  const left = p.secondsLeft === null ? '' : `, ${formatSeconds(p.secondsLeft)} left`;
  return `${rows} rows, ${rate} rows/s${left}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

export const importer = new ImportState();
