/**
 * Presenter mode, for projectors: larger text and controls, thicker outlines (the `.presenter`
 * class on the app root; see the end of styles.css). On with `?present=1` (off with `?present=0`),
 * toggled by the toolbar button or the `p` key, and remembered where storage exists (a sandboxed
 * iframe has none: it then lasts for the page).
 */
import { useCallback, useEffect, useState } from 'react';
import { safeStorage } from './storage';

const KEY = 'pod-playground:presenter';

/** The URL's `present` parameter wins; otherwise the remembered choice; otherwise off. */
export function readPresenter(search: string = typeof location === 'undefined' ? '' : location.search, storage: Pick<Storage, 'getItem'> | undefined = pageStorage()): boolean {
  const param = new URLSearchParams(search).get('present');
  if (param === '1' || param === 'true') return true;
  if (param === '0' || param === 'false') return false;
  try {
    return storage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** Remember the choice (silently not, without storage). */
export function writePresenter(on: boolean, storage: Pick<Storage, 'setItem'> | undefined = pageStorage()): void {
  try {
    storage?.setItem(KEY, on ? '1' : '0');
  } catch {
    /* no storage: the choice lasts for this page */
  }
}

/** The page's storage, as the Storage methods these functions take (tests pass their own). */
function pageStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  return { getItem: (k) => safeStorage.get(k), setItem: (k, v) => void safeStorage.set(k, v) };
}

/** True when a key press belongs to a text field or an editor (keys there are text, not shortcuts). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.cm-editor, [role="textbox"]');
}

/**
 * Presenter mode state for the app root, with the `p` shortcut (not while typing, nor with Ctrl,
 * Alt or Meta held: Ctrl+P still prints).
 */
export function usePresenter(): [boolean, (on: boolean) => void] {
  // The canvas refits itself when its box changes size, as it does when the larger header and
  // toolbar of presenter mode take their room.
  const [on, setOn] = useState(() => readPresenter());
  const set = useCallback((next: boolean) => {
    setOn(next);
    writePresenter(next);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'p' && e.key !== 'P') return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.defaultPrevented || isTyping(e.target)) return;
      set(!on);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on, set]);
  return [on, set];
}
