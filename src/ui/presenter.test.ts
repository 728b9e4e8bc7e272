import { describe, expect, it } from 'vitest';
import { isTyping, readPresenter, writePresenter } from './presenter';

function memory(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; } };
}
const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('SecurityError'); } };

describe('presenter mode', () => {
  it('is off by default, remembered once chosen', () => {
    const s = memory();
    expect(readPresenter('', s)).toBe(false);
    writePresenter(true, s);
    expect(readPresenter('', s)).toBe(true);
    writePresenter(false, s);
    expect(readPresenter('', s)).toBe(false);
  });

  it('the URL wins over the remembered choice', () => {
    const s = memory();
    writePresenter(false, s);
    expect(readPresenter('?present=1', s)).toBe(true);
    writePresenter(true, s);
    expect(readPresenter('?scenario=empty&present=0', s)).toBe(false);
  });

  it('works without storage (a sandboxed iframe): off, and writing does not throw', () => {
    expect(readPresenter('', broken)).toBe(false);
    expect(readPresenter('?present=1', broken)).toBe(true);
    expect(() => writePresenter(true, broken)).not.toThrow();
    expect(readPresenter('', undefined)).toBe(false);
  });

  it('keys typed in fields are not shortcuts', () => {
    const el = (tagName: string, extra: Partial<HTMLElement> = {}) => ({ tagName, isContentEditable: false, closest: () => null, ...extra }) as unknown as HTMLElement;
    expect(isTyping(el('INPUT'))).toBe(true);
    expect(isTyping(el('TEXTAREA'))).toBe(true);
    expect(isTyping(el('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTyping(el('DIV', { closest: (() => ({})) as HTMLElement['closest'] }))).toBe(true); // inside CodeMirror
    expect(isTyping(el('BUTTON'))).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
