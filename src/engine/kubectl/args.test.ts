import { describe, expect, it } from 'vitest';
import { parseArgs, splitCommandLine, UsageError } from './args';

describe('splitCommandLine', () => {
  it.each([
    ['get pods -o wide', ['get', 'pods', '-o', 'wide']],
    [`get pods -l 'app in (web, api)'`, ['get', 'pods', '-l', 'app in (web, api)']],
    [`exec web -- sh -c "echo \\"hi\\" > /tmp/x"`, ['exec', 'web', '--', 'sh', '-c', 'echo "hi" > /tmp/x']],
    [`  label  pod web  a=b\\ c `, ['label', 'pod', 'web', 'a=b c']],
    [`get pods -o jsonpath='{.items[*].metadata.name}'`, ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']],
    [`annotate pod web note=''`, ['annotate', 'pod', 'web', 'note=']],
  ])('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });
});

describe('parseArgs', () => {
  const specs = { output: { type: 'string' as const, short: 'o' }, 'all-namespaces': { type: 'bool' as const, short: 'A' }, replicas: { type: 'int' as const } };

  it('reads long, short, attached and = forms', () => {
    const p = parseArgs(['pods', '-owide', '-A', '--replicas=3', '-n', 'kube-system'], specs, 'get');
    expect(p.positional).toEqual(['pods']);
    expect(p.flags.get('output')).toBe('wide');
    expect(p.flags.get('all-namespaces')).toBe(true);
    expect(p.flags.get('replicas')).toBe('3');
    expect(p.flags.get('namespace')).toBe('kube-system');
  });

  it('stops at -- and keeps the rest for exec', () => {
    const p = parseArgs(['web', '--', 'ls', '-l'], specs, 'exec');
    expect(p.positional).toEqual(['web']);
    expect(p.rest).toEqual(['ls', '-l']);
  });

  it.each([
    [['--foo'], "error: unknown flag: --foo\nSee 'kubectl get --help' for usage."],
    [['-x'], "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage."],
    [['-o'], "error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage."],
    [['--output'], "error: flag needs an argument: --output\nSee 'kubectl get --help' for usage."],
    [['--replicas=abc'], 'error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'kubectl get --help\' for usage.'],
  ])('%j fails in kubectl words', (args, message) => {
    expect(() => parseArgs(args, specs, 'get')).toThrow(UsageError);
    expect(() => parseArgs(args, specs, 'get')).toThrow(message);
  });
});
