import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FsError, MemoryFileSystem, mountedFileSystem, normalizePath } from './fs';

describe('normalizePath', () => {
  it.each([
    ['/a/b/../c', '/', '/a/c'],
    ['//a///b/', '/', '/a/b'],
    ['x/./y', '/tmp', '/tmp/x/y'],
    ['../..', '/a', '/'],
    ['/', '/', '/'],
  ])('%s from %s → %s', (p, cwd, want) => expect(normalizePath(p, cwd)).toBe(want));
});

describe('MemoryFileSystem', () => {
  it('writes, appends, reads, lists and removes', () => {
    const fs = new MemoryFileSystem({ '/etc/hostname': 'web\n' });
    fs.write('/html/index.html', 'a');
    fs.write('/html/index.html', 'b', true);
    expect(fs.read('/html/index.html')).toBe('ab');
    expect(fs.isDir('/html')).toBe(true);
    expect(fs.list('/')).toEqual(['etc', 'html']);
    expect(fs.remove('/html')).toBe(true);
    expect(fs.exists('/html/index.html')).toBe(false);
    expect(fs.remove('/nope')).toBe(false);
    expect(fs.usedBytes()).toBe(4);
  });

  it('refuses to write over a directory or under a file', () => {
    const fs = new MemoryFileSystem({ '/f': 'x' });
    fs.mkdir('/d');
    expect(() => fs.write('/d', 'x')).toThrow('Is a directory');
    expect(() => fs.write('/f/g', 'x')).toThrow('Not a directory');
  });
});

describe('mountedFileSystem', () => {
  const setup = () => {
    const root = new MemoryFileSystem({ '/etc/os-release': 'x' });
    const html = new MemoryFileSystem();
    const config = new MemoryFileSystem({ '/key': 'value' });
    const deep = new MemoryFileSystem();
    const fs = mountedFileSystem(root, [
      { path: '/usr/share/nginx/html', fs: html },
      { path: '/etc/config', fs: config, readOnly: true },
      { path: '/usr/share/nginx/html/deep', fs: deep },
    ]);
    return { root, html, config, deep, fs };
  };

  it('routes paths to the longest matching mount', () => {
    const { fs, html, deep, root } = setup();
    fs.write('/usr/share/nginx/html/index.html', 'hi');
    fs.write('/usr/share/nginx/html/deep/x', 'deep');
    fs.write('/var/log/a', 'root');
    expect(html.read('/index.html')).toBe('hi');
    expect(deep.read('/x')).toBe('deep');
    expect(html.exists('/deep/x')).toBe(false);
    expect(root.read('/var/log/a')).toBe('root');
    expect(fs.read('/etc/config/key')).toBe('value');
  });

  it('fails writes to a read-only mount with "Read-only file system"', () => {
    const { fs } = setup();
    expect(() => fs.write('/etc/config/key', 'x')).toThrow(FsError);
    expect(() => fs.write('/etc/config/new', 'x')).toThrow('Read-only file system');
    expect(() => fs.remove('/etc/config/key')).toThrow('Read-only file system');
    expect(() => fs.mkdir('/etc/config/d')).toThrow('Read-only file system');
    expect(fs.read('/etc/config/key')).toBe('value');
  });

  it('shows mount points as directories and refuses to remove them', () => {
    const { fs } = setup();
    expect(fs.list('/etc')).toEqual(['config', 'os-release']);
    expect(fs.isDir('/usr/share/nginx')).toBe(true);
    expect(fs.list('/usr/share/nginx')).toEqual(['html']);
    expect(() => fs.remove('/usr/share/nginx/html')).toThrow('Resource busy');
  });

  it('property: a write through the mount table reads back the same content', () => {
    const seg = fc.constantFrom('a', 'b', 'html', 'deep', 'x');
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.string(), (parts, content) => {
        const { fs } = setup();
        const p = '/usr/share/nginx/' + parts.join('/');
        if (fs.isDir(p)) return;
        try {
          fs.write(p, content);
        } catch (e) {
          expect(e).toBeInstanceOf(FsError);
          return;
        }
        expect(fs.read(p)).toBe(content);
      }),
      { numRuns: 200 },
    );
  });
});
