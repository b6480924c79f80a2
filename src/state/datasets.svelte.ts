// The studio's shared state about datasets: the list, which one is active, and messages for the
// user. Views read it; actions here call the data worker and refresh it.

import type { DatasetMeta } from '../lib/store';
import { callData, onDataWorkerCrash } from '../client/ingest';

const ACTIVE_KEY = 'shoplens.activeDataset';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

class DatasetState {
  list = $state<DatasetMeta[]>([]);
  loaded = $state(false);
  activeId = $state<string | null>(readActive());
  notices = $state<Notice[]>([]);
  private nextNotice = 1;

  active = $derived(this.list.find((d) => d.id === this.activeId) ?? null);

  async refresh(): Promise<void> {
    try {
      this.list = await callData((api) => api.listDatasets());
      if (this.activeId && !this.list.some((d) => d.id === this.activeId)) this.setActive(null);
      if (!this.activeId && this.list.length > 0) this.setActive(this.list[0].id);
    } catch (error) {
      this.notify('error', `Could not read the stored datasets: ${messageOf(error)}`);
    } finally {
      this.loaded = true;
    }
  }

  setActive(id: string | null): void {
    this.activeId = id;
    if (id) localStorage.setItem(ACTIVE_KEY, id);
    else localStorage.removeItem(ACTIVE_KEY);
  }

  async rename(id: string, name: string): Promise<void> {
    try {
      await callData((api) => api.renameDataset(id, name));
    } catch (error) {
      this.notify('error', `Rename failed: ${messageOf(error)}`);
    }
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    try {
      await callData((api) => api.deleteDataset(id));
    } catch (error) {
      this.notify('error', `Delete failed: ${messageOf(error)}`);
    }
    await this.refresh();
  }

  notify(kind: Notice['kind'], text: string): void {
    this.notices = [...this.notices, { id: this.nextNotice++, kind, text }];
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

function readActive(): string | null {
  try {
    return localStorage.getItem(ACTIVE_KEY);
  } catch {
    return null;
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error && 'message' in error) return String(error.message);
  return String(error);
}

export const datasets = new DatasetState();
onDataWorkerCrash((message) => datasets.notify('error', message));
