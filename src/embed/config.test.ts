import { describe, expect, it } from 'vitest';
import { broadcastTargets, DEFAULT_CONFIG, isAllowedOrigin, normalizeOrigin, parseEmbedConfig } from './config';
import { envelope, parseHostMessage } from './messages';

describe('parseEmbedConfig', () => {
  it('defaults', () => expect(parseEmbedConfig('')).toEqual(DEFAULT_CONFIG));

  it('reads every option', () => {
    expect(parseEmbedConfig('?scenario=empty&seed=7&theme=dark&panels=events,console&speed=10&paused=1&canvas=0&origins=https://Learn.Example:443/x,http://localhost:3000')).toEqual({
      scenario: 'empty',
      seed: 7,
      theme: 'dark',
      panels: ['events', 'console'],
      speed: 10,
      paused: true,
      canvas: false,
      origins: ['https://learn.example', 'http://localhost:3000'],
    });
  });

  it.each([
    ['?scenario=../../etc', 'scenario', 'default'],
    ['?theme=<script>', 'theme', 'auto'],
    ['?speed=1000', 'speed', 1],
    ['?seed=abc', 'seed', 1],
    ['?panels=console,bogus,yaml,console', 'panels', ['console', 'yaml']],
    ['?panels=', 'panels', []],
    ['?origins=javascript:alert(1),ftp://x,not a url', 'origins', []],
    ['#theme=light', 'theme', 'light'],
  ])('untrusted %j → %s', (search, key, value) => {
    expect(parseEmbedConfig(search)[key as keyof typeof DEFAULT_CONFIG]).toEqual(value);
  });
});

describe('origins', () => {
  it.each([
    ['https://a.example', ['https://a.example'], 'https://embed.example', true],
    ['https://evil.example', ['https://a.example'], 'https://embed.example', false],
    ['https://a.example.evil', ['https://a.example'], 'https://embed.example', false],
    ['https://embed.example', [], 'https://embed.example', true],
    ['https://other.example', [], 'https://embed.example', false],
    ['null', [], 'null', false],
    ['null', ['*'], 'null', true],
  ] as [string, string[], string, boolean][])('%s allowed by %j (self %s): %s', (origin, allowed, self, ok) => {
    expect(isAllowedOrigin(origin, allowed, self)).toBe(ok);
  });

  it('broadcasts only to allowed origins', () => {
    expect(broadcastTargets(['https://a.example', 'https://b.example'], 'https://e')).toEqual(['https://a.example', 'https://b.example']);
    expect(broadcastTargets([], 'https://e')).toEqual(['https://e']);
    expect(broadcastTargets([], 'null')).toEqual([]);
    expect(broadcastTargets(['*'], 'null')).toEqual(['*']);
  });

  it('normalizes', () => {
    expect(normalizeOrigin('HTTPS://X.Example:443/')).toBe('https://x.example');
    expect(normalizeOrigin('http://x:8080/a?b')).toBe('http://x:8080');
    expect(normalizeOrigin('data:text/html,hi')).toBeUndefined();
  });
});

describe('parseHostMessage', () => {
  it.each([
    [null, null],
    ['kubectl get pods', null],
    [{ type: 'command', line: 'x' }, null],
    [{ source: 'other-widget', v: 1, type: 'command', line: 'x' }, null],
    [{ source: 'pod-playground', v: 1, type: 'command', id: 3, line: 'kubectl get pods' }, { source: 'pod-playground', v: 1, type: 'command', id: 3, line: 'kubectl get pods' }],
    [{ source: 'pod-playground', v: 1, type: 'command', line: 'k apply -f -', stdin: 'a: b' }, { source: 'pod-playground', v: 1, type: 'command', id: undefined, line: 'k apply -f -', stdin: 'a: b' }],
    [{ source: 'pod-playground', v: 2, type: 'command', id: 'a', line: 'x' }, { error: 'unsupported API version 2; this embed speaks v1', id: 'a' }],
    [{ source: 'pod-playground', v: 1, type: 'command', id: 1, line: 42 }, { error: 'command: "line" must be a string', id: 1 }],
    [{ source: 'pod-playground', v: 1, type: 'explode' }, { error: 'unknown message type "explode"', id: undefined }],
  ])('%j', (data, expected) => expect(parseHostMessage(data)).toEqual(expected));

  it('envelopes outgoing messages', () => {
    expect(envelope({ type: 'resize', width: 1, height: 2 })).toEqual({ source: 'pod-playground', v: 1, type: 'resize', width: 1, height: 2 });
  });
});
