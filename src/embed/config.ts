/**
 * The embed's URL configuration, parsed as untrusted input: unknown values fall back to defaults,
 * nothing throws.
 *
 * `/embed.html?scenario=default&theme=dark&panels=console,events&speed=10&origins=https://learn.example`
 */
import type { Scenario } from '../worker/protocol';

export type EmbedPanel = 'console' | 'events' | 'yaml';
export type Theme = 'light' | 'dark';

export interface EmbedConfig {
  scenario: Scenario;
  seed: number;
  /** 'auto' follows prefers-color-scheme. */
  theme: Theme | 'auto';
  /** Panels drawn under the canvas, in order. */
  panels: EmbedPanel[];
  /** Virtual seconds per real second. */
  speed: number;
  /** Start paused. */
  paused: boolean;
  /**
   * Parent origins whose messages are accepted and to which messages are sent. Empty means "this
   * page's own origin only"; `['*']` accepts any origin (only for trusted demos).
   */
  origins: string[];
  /** Hide the canvas (console-only widgets). */
  canvas: boolean;
}

const SCENARIOS: readonly Scenario[] = ['default', 'empty', 'storm'];
const PANELS: readonly EmbedPanel[] = ['console', 'events', 'yaml'];
const SPEEDS = [1, 10, 60];

export const DEFAULT_CONFIG: EmbedConfig = {
  scenario: 'default',
  seed: 1,
  theme: 'auto',
  panels: ['console'],
  speed: 1,
  paused: false,
  origins: [],
  canvas: true,
};

/**
 * Parse `location.search` (or `location.hash`, which hosts sometimes prefer because it never
 * reaches a server log). Later parameters win.
 */
export function parseEmbedConfig(search: string): EmbedConfig {
  const p = new URLSearchParams(search.replace(/^[?#]/, ''));
  const c: EmbedConfig = { ...DEFAULT_CONFIG, panels: [...DEFAULT_CONFIG.panels], origins: [] };
  const scenario = p.get('scenario');
  if (scenario && (SCENARIOS as readonly string[]).includes(scenario)) c.scenario = scenario as Scenario;
  const seed = Number(p.get('seed'));
  if (p.has('seed') && Number.isSafeInteger(seed)) c.seed = seed;
  const theme = p.get('theme');
  if (theme === 'light' || theme === 'dark' || theme === 'auto') c.theme = theme;
  if (p.has('panels')) {
    const list = (p.get('panels') ?? '').split(',').map((s) => s.trim());
    c.panels = PANELS.filter((x) => list.includes(x)).sort((a, b) => list.indexOf(a) - list.indexOf(b));
  }
  const speed = Number(p.get('speed'));
  if (SPEEDS.includes(speed)) c.speed = speed;
  c.paused = p.get('paused') === '1' || p.get('paused') === 'true';
  c.canvas = p.get('canvas') !== '0' && p.get('canvas') !== 'false';
  for (const raw of (p.get('origins') ?? '').split(',')) {
    const o = normalizeOrigin(raw.trim());
    if (o && !c.origins.includes(o)) c.origins.push(o);
  }
  return c;
}

/**
 * `https://Example.com:443/path` → `https://example.com` (the form `MessageEvent.origin` has);
 * `*` stays `*`; anything that is not an http(s) origin is dropped.
 */
export function normalizeOrigin(s: string): string | undefined {
  if (s === '*') return '*';
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/** Is a message from `origin` accepted? `self` is this page's own origin (`'null'` in a sandbox). */
export function isAllowedOrigin(origin: string, allowed: readonly string[], self: string): boolean {
  if (allowed.includes('*')) return true;
  if (allowed.length === 0) return origin === self && origin !== 'null';
  return allowed.includes(origin);
}

/** The targetOrigins unsolicited messages (ready, event, state, resize) are posted to. */
export function broadcastTargets(allowed: readonly string[], self: string): string[] {
  if (allowed.includes('*')) return ['*'];
  if (allowed.length === 0) return self === 'null' ? [] : [self];
  return [...allowed];
}
