import { describe, expect, it } from 'vitest';
import { errorsFromOutput, lineRange, yamlSyntaxErrors } from './diagnostics';
import { YAML_EXAMPLES } from './examples';

describe('yamlSyntaxErrors', () => {
  it.each(YAML_EXAMPLES.map((x) => [x.id, x.text]))('example %s parses cleanly', (_id, text) => {
    expect(yamlSyntaxErrors(text)).toEqual([]);
  });

  it.each([
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n', 5, 'Nested mappings are not allowed in compact mappings'],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n\tlabels: {}\n', 5, 'Tabs are not allowed as indentation'],
  ])('reports the line of %j', (text, line, message) => {
    expect(yamlSyntaxErrors(text)[0]).toEqual({ line, message });
  });

  it('reports an unclosed flow mapping', () => {
    const errs = yamlSyntaxErrors('{\n  kind: "Pod",\n  metadata: {\n');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0].message).not.toContain('\n');
  });
});

describe('errorsFromOutput', () => {
  it.each([
    ['error: error parsing STDIN: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context', [{ line: 7, message: 'mapping values are not allowed in this context' }]],
    ['error: yaml: line 3, column 4: did not find expected key\n', [{ line: 3, message: 'did not find expected key' }]],
    ['The Pod "x" is invalid: spec.containers[0].image: Required value', []],
    ['pod/x created\n', []],
  ])('%j', (out, errs) => expect(errorsFromOutput(out)).toEqual(errs));
});

describe('lineRange', () => {
  const text = 'a: 1\n  b: 2\n\nc: 3';
  it.each([
    [1, { from: 0, to: 4, line: 1 }],
    [2, { from: 7, to: 11, line: 2 }],
    [3, { from: 12, to: 12, line: 3 }],
    [4, { from: 13, to: 17, line: 4 }],
    [99, { from: 13, to: 17, line: 4 }],
    [0, { from: 0, to: 4, line: 1 }],
  ])('line %i', (line, r) => expect(lineRange(text, line)).toEqual(r));
});
