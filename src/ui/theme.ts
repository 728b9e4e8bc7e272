/** Light/dark theme on `<html data-theme>`; remembered when storage exists (a sandboxed iframe has none). */
export type Theme = 'light' | 'dark';
const KEY = 'pod-playground:theme';

export function readTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    if (t === 'light' || t === 'dark') return t;
  } catch {
    /* no storage: fall through */
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme, remember = true): void {
  document.documentElement.dataset.theme = t;
  if (!remember) return;
  try {
    localStorage.setItem(KEY, t);
  } catch {
    /* no storage */
  }
}
