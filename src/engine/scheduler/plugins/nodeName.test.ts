import { describe, expect, it } from 'vitest';
import { Code } from '../framework/status';
import { filterWith, makeNode, makePod, nodeInfo } from '../testing';
import { ERR_REASON, NodeName } from './nodeName';

// Mirrors TestNodeName in pkg/scheduler/framework/plugins/nodename/node_name_test.go.
describe('NodeName Filter', () => {
  it.each([
    { name: 'no host specified', nodeName: undefined, fits: true },
    { name: 'host matches', nodeName: 'foo', fits: true },
    { name: "host doesn't match", nodeName: 'bar', fits: false },
  ])('$name', ({ nodeName, fits }) => {
    const pod = nodeName ? makePod('p').on(nodeName).build() : makePod('p').build();
    const s = filterWith(new NodeName(), pod, nodeInfo(makeNode('foo').build()));
    if (fits) expect(s).toBeNull();
    else {
      expect(s?.code).toBe(Code.UnschedulableAndUnresolvable);
      expect(s?.reasons).toEqual([ERR_REASON]);
    }
  });
});
