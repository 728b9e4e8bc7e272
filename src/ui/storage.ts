/**
 * localStorage that never throws: a sandboxed iframe (`sandbox="allow-scripts"`) or a privacy mode
 * has no storage, and touching `window.localStorage` there throws a SecurityError. We degrade to
 * "not remembered" instead of crashing.
 */
export const safeStorage = {
  get(key: string): string | null {
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  },
  set(key: string, value: string): boolean {
    try {
      globalThis.localStorage?.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  },
};
