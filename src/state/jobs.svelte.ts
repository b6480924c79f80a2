// Long-running work the status bar lists: imports here, compute jobs from the compute client.

export interface RunningJob {
  id: number;
  label: string;
  /** 0…1, or null while the total is unknown. */
  fraction: number | null;
  detail: string;
  cancel: () => void;
}

class JobList {
  items = $state<RunningJob[]>([]);
  private next = 1;

  add(label: string, cancel: () => void): number {
    const id = this.next++;
    this.items = [...this.items, { id, label, fraction: null, detail: '', cancel }];
    return id;
  }

  update(id: number, fraction: number | null, detail: string): void {
    this.items = this.items.map((job) => (job.id === id ? { ...job, fraction, detail } : job));
  }

  remove(id: number): void {
    this.items = this.items.filter((job) => job.id !== id);
  }
}

export const jobs = new JobList();
