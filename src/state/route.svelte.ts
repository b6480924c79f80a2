// Which workflow step is on screen, kept in the URL hash so a reload (or a shared link) returns to it.

export const VIEWS = [
  { id: 'data', label: 'Data' },
  { id: 'overview', label: 'Overview' },
  { id: 'segments', label: 'Segments' },
  { id: 'propensity', label: 'Propensity' },
  { id: 'recommend', label: 'Recommendations' },
  { id: 'settings', label: 'Settings' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

function fromHash(): ViewId {
  const id = location.hash.replace(/^#\/?/, '');
  return VIEWS.some((v) => v.id === id) ? (id as ViewId) : 'data';
}

class Route {
  view = $state<ViewId>(fromHash());

  constructor() {
    addEventListener('hashchange', () => (this.view = fromHash()));
  }

  go(view: ViewId): void {
    if (location.hash !== `#/${view}`) location.hash = `#/${view}`;
    this.view = view;
  }
}

export const route = new Route();
