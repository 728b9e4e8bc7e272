/** Light/dark theme on `<html data-theme>`; remembered when storage exists (a sandboxed iframe has none). */
import { safeStorage } from './storage';

export type Theme = 'light' | 'dark';
const KEY = 'pod-playground:theme';

export function readTheme(): Theme {
  const t = safeStorage.get(KEY);
  if (t === 'light' || t === 'dark') return t;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme, remember = true): void {
  document.documentElement.dataset.theme = t;
  if (remember) safeStorage.set(KEY, t);
}
